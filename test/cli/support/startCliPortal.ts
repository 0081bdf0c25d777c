import type { Knex } from 'knex';
import {
  portalConfig,
  portalSandbox,
  startPortal,
  type Portal,
  type PortalSandbox,
} from '../../portal/support';

/** The portal backend the `requests` commands talk to, on its sandbox fleet. */
export interface CliPortal {
  p: PortalSandbox;
  portal: Portal;
  /** The Backstage backend's root URL, as a user would give it (--backend-url). */
  backend: string;
  stop(): Promise<void>;
}

/**
 * The hyperpod backend plugin (demo permission policy, executor on) on `knex`, over a sandbox
 * fleet named after `prefix`, as the portal tests start it.
 */
export async function startCliPortal(prefix: string, knex: Knex): Promise<CliPortal> {
  const p = await portalSandbox(prefix);
  const portal = await startPortal({ config: portalConfig(p), knex });
  return {
    p,
    portal,
    backend: portal.url.replace(/\/api\/hyperpod$/, ''),
    async stop() {
      await portal.stop();
      await p.sb.stop();
      p.restoreEnv();
    },
  };
}
