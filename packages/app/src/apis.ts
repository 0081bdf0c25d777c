/** The app's API factories besides the defaults of @backstage/app-defaults. */
import { ScmAuth, ScmIntegrationsApi, scmIntegrationsApiRef } from '@backstage/integration-react';
import {
  configApiRef,
  createApiFactory,
  discoveryApiRef,
  type AnyApiFactory,
} from '@backstage/core-plugin-api';
import { DemoUserAuth, demoUsers } from './identity/DemoUserAuth';

export const apis: AnyApiFactory[] = [
  createApiFactory({
    api: scmIntegrationsApiRef,
    deps: { configApi: configApiRef },
    factory: ({ configApi }) => ScmIntegrationsApi.fromConfig(configApi),
  }),
  ScmAuth.createDefaultApiFactory(),
  ...demoUsers.map((u) =>
    createApiFactory({
      api: u.apiRef,
      deps: { discoveryApi: discoveryApiRef },
      factory: ({ discoveryApi }) => new DemoUserAuth({ discoveryApi, user: u.user }),
    }),
  ),
];
