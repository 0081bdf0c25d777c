/**
 * A portal suite's setup in one place: its test databases, and the jest hooks that start the
 * sandbox (plus, when asked, a Helm inference cluster) and the portal backend before the suite and
 * stop them after it. The suite reads what was started through the returned handle.
 */
import type { BackendFeature } from '@backstage/backend-plugin-api';
import { TestDatabases, type TestDatabaseId } from '@backstage/backend-test-utils';
import type { SandboxCluster } from '@hyperpod/sandbox';
import type { Knex } from 'knex';
import {
  addHelmInferenceCluster,
  portalConfig,
  portalSandbox,
  startPortal,
  type Portal,
  type PortalSandbox,
} from './support';

// PostgreSQL suites use the local server unless the environment names another one.
process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  'postgresql://postgres@127.0.0.1:5432';

/** The suite's test databases (call at the top of a test file: it registers their shutdown). */
export function portalDatabases(ids: TestDatabaseId[]): TestDatabases {
  return TestDatabases.create({ ids });
}

export interface PortalSuiteOptions {
  /** Names the sandbox's clusters: unique per suite and database. */
  prefix: string;
  knex: () => Promise<Knex>;
  /** A Helm inference cluster in the fleet too (see addHelmInferenceCluster), by default named `<prefix>-helm-use1`. */
  helm?: { name?: string; revisions?: Parameters<typeof addHelmInferenceCluster>[2] };
  /** false: no executor, so requests stay as the test leaves them. */
  executor?: boolean;
  extra?: BackendFeature[];
  /** A permission policy module in place of the demo policy. */
  policy?: BackendFeature;
  /** Runs once the sandbox (and the Helm cluster) is up, before the backend starts. */
  prepare?: (suite: PortalSuite) => Promise<void> | void;
  /** The setup's time limit (jest's default otherwise). */
  timeoutMs?: number;
}

export interface PortalSuite {
  readonly p: PortalSandbox;
  readonly portal: Portal;
  readonly knex: Knex;
  readonly config: ReturnType<typeof portalConfig>;
  /** The Helm cluster (with `helm` in the options). */
  readonly helm: SandboxCluster;
  /** Another backend with the same config on `knex` (a second replica), stopped with the suite. */
  replica(knex: Knex): Promise<Portal>;
}

/** Registers the suite's beforeAll and afterAll; the handle's fields are set once beforeAll ran. */
export function usePortal(opts: PortalSuiteOptions): PortalSuite {
  let p: PortalSandbox | undefined;
  let helm: SandboxCluster | undefined;
  let knex: Knex | undefined;
  let config: ReturnType<typeof portalConfig> | undefined;
  const portals: Portal[] = [];
  const started = <T>(what: string, v: T | undefined): T => {
    if (v === undefined) throw new Error(`${what} is not started (beforeAll has not run)`);
    return v;
  };
  const start = async (on: Knex) => {
    const portal = await startPortal({
      config: config!,
      knex: on,
      ...(opts.extra ? { extra: opts.extra } : {}),
      ...(opts.policy ? { policy: opts.policy } : {}),
    });
    portals.push(portal);
    return portal;
  };

  beforeAll(async () => {
    p = await portalSandbox(opts.prefix);
    if (opts.helm) {
      const name = opts.helm.name ?? `${opts.prefix}-helm-use1`;
      const added = await addHelmInferenceCluster(p, name, opts.helm.revisions);
      helm = added.cluster;
      config = added.config;
    } else {
      config = portalConfig(p);
    }
    if (opts.executor === false) Object.assign(config.hyperpod.executor, { enabled: false });
    await opts.prepare?.(suite);
    knex = await opts.knex();
    await start(knex);
  }, opts.timeoutMs);

  afterAll(async () => {
    for (const portal of portals) await portal.stop();
    await p?.sb.stop();
    p?.restoreEnv();
  });

  const suite: PortalSuite = {
    get p() {
      return started('the sandbox', p);
    },
    get portal() {
      return started('the portal', portals[0]);
    },
    get knex() {
      return started('the database', knex);
    },
    get config() {
      return started('the config', config);
    },
    get helm() {
      return started('the Helm cluster', helm);
    },
    replica: (on) => start(on),
  };
  return suite;
}
