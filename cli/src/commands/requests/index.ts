/**
 * `kubectl hyperpod requests`: the portal's upgrade requests from the terminal. Alone it lists
 * them (as `requests list` does); what the `requests` commands share is in src/requests/.
 */
import { LIST_DESCRIPTION, ListRequestsCommand } from '../../requests/ListRequestsCommand';

export default class Requests extends ListRequestsCommand<typeof Requests> {
  static override summary =
    'Upgrade requests in the portal: list them (and create, get, approve, reject, cancel).';
  static override description = `Without a subcommand, the same as requests list. ${LIST_DESCRIPTION}`;
}
