/**
 * Sign-in as any of a fixed list of demo users, for the sandbox demo and the browser tests that
 * need a requester and an approver in one running portal. The guest provider signs everyone in
 * as one configured user; this proxy provider (id `hyperpod-demo`) takes the user from the
 * `x-hyperpod-demo-user` request header, checks it against `auth.providers.hyperpod-demo.users`
 * and signs in with that catalog User, so ownership comes from the user's catalog `memberOf`.
 * Like the guest provider it refuses to work outside NODE_ENV=development unless
 * `dangerouslyAllowOutsideDevelopment: true`: anyone who can reach the backend can pick a user.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { AuthenticationError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

export const DEMO_PROVIDER_ID = 'hyperpod-demo';
export const DEMO_USER_HEADER = 'x-hyperpod-demo-user';

interface DemoContext {
  enabled: boolean;
  users: string[];
}

function userRef(name: string): string {
  return stringifyEntityRef(
    parseEntityRef(name, { defaultKind: 'user', defaultNamespace: 'default' }),
  );
}

export const demoUserAuthenticator = createProxyAuthenticator<
  DemoContext,
  { userEntityRef: string },
  undefined
>({
  defaultProfileTransform: async (result) => ({
    profile: { displayName: parseEntityRef(result.userEntityRef).name },
  }),
  initialize({ config }) {
    return {
      enabled:
        process.env.NODE_ENV === 'development' ||
        config.getOptionalBoolean('dangerouslyAllowOutsideDevelopment') === true,
      users: config.getStringArray('users').map(userRef),
    };
  },
  async authenticate({ req }, ctx) {
    if (!ctx.enabled)
      throw new NotAllowedError(
        `The ${DEMO_PROVIDER_ID} provider works only with NODE_ENV=development or auth.providers.${DEMO_PROVIDER_ID}.dangerouslyAllowOutsideDevelopment: true`,
      );
    const asked = req.header(DEMO_USER_HEADER);
    if (!asked)
      throw new AuthenticationError(`name the demo user in the ${DEMO_USER_HEADER} header`);
    const ref = userRef(asked);
    if (!ctx.users.includes(ref))
      throw new NotAllowedError(
        `${ref} is not a demo user (auth.providers.${DEMO_PROVIDER_ID}.users: ${ctx.users.join(', ')})`,
      );
    return { result: { userEntityRef: ref } };
  },
});

/** Registered always; active only when app-config has `auth.providers.hyperpod-demo`. */
export const authModuleHyperpodDemoProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'hyperpod-demo-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: DEMO_PROVIDER_ID,
          factory: createProxyAuthProviderFactory({
            authenticator: demoUserAuthenticator,
            signInResolver: async ({ result }, ctx) => {
              try {
                return await ctx.signInWithCatalogUser({ entityRef: result.userEntityRef });
              } catch (e) {
                // Refusing beats signing in without the user's groups (and so the wrong rights).
                if ((e as Error).name !== 'NotFoundError') throw e;
                throw new NotFoundError(
                  `${result.userEntityRef} is not in the catalog (yet: the catalog takes some seconds after start); catalog.providers.hyperpod.users lists the demo users`,
                );
              }
            },
          }),
        });
      },
    });
  },
});
