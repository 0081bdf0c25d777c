/** IAM's user actions: the sandbox's users are the owners of its access keys. */
import { optional, validationError } from '../protocols/queryProtocol';
import type { IamAction } from './IamAction';
import { userXml } from './iamViews';

export const USER_ACTIONS: Record<string, IamAction> = {
  GetUser: ({ store, req, p }) => {
    const name = optional(p, 'UserName') ?? /:user\/(?:.*\/)?([^/]+)$/.exec(req.principalArn)?.[1];
    if (!name)
      throw validationError('Must specify userName when calling with non-User credentials');
    return { User: userXml(store.user(req.accountId, name)) };
  },
};
