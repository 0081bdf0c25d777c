import { DecideCommand, decisionDescription, noteFlag } from '../../requests/DecideCommand';
import { PORTAL_FLAGS } from '../../requests/RequestsCommand';

export default class RequestsCancel extends DecideCommand<typeof RequestsCancel> {
  static override summary = 'Cancel an upgrade request that has not run.';
  static override description =
    decisionDescription(`Cancels request ID while it is requested or approved (before the backend starts it), or closes one that needs attention. Its requester or an approver of its cluster may cancel it. Prints the request as it is after the cancellation.

A request that is running or finished exits 12 with nothing changed.`);

  static override flags = {
    note: noteFlag('Why, for the history.'),
    ...PORTAL_FLAGS,
  };

  static override examples = [
    {
      description: 'Withdraw your own request',
      command: "kubectl hyperpod requests cancel 3f9a1c2e --note 'fixed by the node image instead'",
    },
  ];

  protected readonly decision = 'cancel' as const;
}
