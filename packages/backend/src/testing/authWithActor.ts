/**
 * For tests and benchmarks of this backend's plugins with `startTestBackend` (never wired into
 * the real backend). Requires @backstage/backend-test-utils at run time.
 */
import path from 'node:path';
import { coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';

/**
 * The test-utils auth mock, except that a plugin calling another on a user's behalf sends the
 * user with the calling plugin as actor, as Backstage's DefaultAuthService does. (The mock drops
 * the actor, and the permission backend refuses resource checks from actor-less users.) The mock
 * class is not exported, so it is loaded by path.
 */
export const authWithActorFactory = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => {
    const dist = path.dirname(require.resolve('@backstage/backend-test-utils'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MockAuthService } = require(path.join(dist, 'services/MockAuthService.cjs.js'));
    const inner = new MockAuthService({
      pluginId: plugin.getId(),
      disableDefaultAuthPolicy: false,
    });
    const getPluginRequestToken = inner.getPluginRequestToken.bind(inner);
    inner.getPluginRequestToken = async (opts: {
      onBehalfOf: { principal: { type: string; userEntityRef?: string } };
      targetPluginId: string;
    }) => {
      const p = opts.onBehalfOf.principal;
      if (p.type === 'user' && p.userEntityRef) {
        return {
          token: mockCredentials.user.token(p.userEntityRef, {
            actor: { subject: `plugin:${plugin.getId()}` },
          }),
        };
      }
      return getPluginRequestToken(opts);
    };
    return inner;
  },
});
