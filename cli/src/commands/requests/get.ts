import type { UpgradeRequest } from '@hyperpod/core';
import { COMMON_EXIT_CODES, exitCodesHelp } from '../../BaseCommand';
import { ID_ARG, PORTAL_FLAGS, PORTAL_HELP, RequestsCommand } from '../../requests/RequestsCommand';

export default class RequestsGet extends RequestsCommand<typeof RequestsGet> {
  static override summary = 'Show one upgrade request: its outcome and its history.';
  static override description = `Shows request ID: cluster, add-on, from and to (and what was asked: a version, default or latest), state, who asked and why, who decided; once it ran, the outcome (hops done, the failed hop and its issue codes, how the rollback went); then its history, one line per transition: when, who, from which state to which, and the note. -o json|yaml prints the API's UpgradeRequest as is (its outcome's events included).

Approved requests are run by the backend; run get again (or -o json and read .state) until the state is succeeded, rolled-back, failed or needs-attention.

${PORTAL_HELP}

${exitCodesHelp(COMMON_EXIT_CODES)}`;

  static override args = ID_ARG;

  static override flags = { ...PORTAL_FLAGS };

  static override examples = [
    {
      description: 'One request, by the id requests list shows',
      command: 'kubectl hyperpod requests get 3f9a1c2e',
    },
    {
      description: 'Its state, for a script',
      command: 'kubectl hyperpod requests get 3f9a1c2e -o json | jq -r .state',
    },
  ];

  async run(): Promise<UpgradeRequest> {
    const id = await this.requestId(this.args.id, 'get');
    const request = await this.call((c) => c.getRequest(id), {
      notFound: `${this.requestsCommand} list  # the requests you can see`,
    });
    await this.printRequest(request);
    return request;
  }
}
