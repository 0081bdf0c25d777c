import {
  LIST_BASE_FLAGS,
  LIST_DESCRIPTION,
  LIST_EXAMPLES,
  LIST_FLAGS,
  ListRequestsCommand,
} from '../../requests/ListRequestsCommand';

export default class RequestsList extends ListRequestsCommand<typeof RequestsList> {
  static override summary = 'List the upgrade requests in the portal, newest first.';
  static override description = LIST_DESCRIPTION;
  static override baseFlags = LIST_BASE_FLAGS;
  static override flags = LIST_FLAGS;
  static override examples = LIST_EXAMPLES;
}
