import { ListRequestsCommand } from '../../requests/ListRequestsCommand';

export default class RequestsList extends ListRequestsCommand<typeof RequestsList> {
  static override summary = 'List the upgrade requests in the portal, newest first.';
}
