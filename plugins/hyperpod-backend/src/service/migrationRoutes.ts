/**
 * Portal-started Helm-to-add-on migrations: the core's one executor (discover, plan, start,
 * rollback) on the plugin's database store, under the cluster's migration Lease (the one the CLI
 * takes: held by one process at a time, never shared with another replica or a CLI, even one on the
 * same run, and fenced before every step), with every step
 * auto-approved (the person approved the plan by starting it). Plan, start and rollback need
 * `hyperpod.migration.run` on the cluster; reading a run needs `hyperpod.cluster.read`, and a run
 * of a cluster the caller may not read answers 404. The backup never leaves the server.
 */
import type {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  BLOCKING_RELEASE_STATUSES,
  discoverMigration,
  hyperpodClusterReadPermission,
  hyperpodMigrationRunPermission,
  MIGRATION_RUN_ID,
  MigrationLock,
  planMigration,
  DEFAULT_MIGRATION_PROFILE,
  formatMigrationRunId,
  migrationRunState,
  profileIds,
  redactMigrationJournal,
  redactMigrationPlan,
  RUN_ID_RANDOM_HEX,
  rollbackMigration,
  startMigration,
  unmatchedPlanOverrides,
  type ExecuteMigrationDeps,
  type MigrationGateways,
  type MigrationOutcome,
  type MigrationPlan,
  type MigrationRunItem,
  type MigrationRunList,
  type MigrationRunStarted,
  type MigrationRunView,
  type PortalCluster,
} from '@hyperpod/core';
import { preflightMigration } from '@hyperpod/core-node';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type express from 'express';
import type { Request, Response } from 'express';
import { z } from 'zod';
import type { HyperpodConfig } from './config';
import type { FleetGateways } from './FleetGateways';
import type { FleetEntry, FleetService } from './FleetService';
import type { ClusterAccess } from './permissions';
import type { KnexMigrationStore } from '../database/KnexMigrationStore';
import { parse, target } from './validation';

export const migrationBody = z.strictObject({
  profile: z
    .string()
    .refine((p) => profileIds().includes(p), {
      message: `must be one of ${profileIds().join(', ')}`,
    })
    .optional(),
  addonVersion: target.optional(),
  acceptDrops: z
    .array(z.string().regex(/^[\w.\-[\]]{1,300}$/, 'must be a Helm values path'))
    .max(100)
    .optional(),
  allowReleaseStatus: z.array(z.enum(BLOCKING_RELEASE_STATUSES)).max(4).optional(),
});

export const migrationRunId = z
  .string()
  .regex(MIGRATION_RUN_ID, 'must be a migration run id (lower-case letters, digits and -)');

/** What the router lends these routes (its auth, input and idempotency helpers). */
export interface MigrationRouteDeps {
  config: HyperpodConfig;
  logger: LoggerService;
  auditor: AuditorService;
  access: ClusterAccess;
  fleet: FleetService;
  gateways: FleetGateways;
  migrations: KnexMigrationStore;
  reader: (req: Request) => Promise<BackstageCredentials>;
  user: (req: Request) => Promise<{ credentials: BackstageCredentials; actor: string }>;
  body: (req: Request) => unknown;
  readable: (credentials: BackstageCredentials, ref: string) => Promise<FleetEntry>;
  idempotent: (
    req: Request,
    res: Response,
    actor: string,
    run: () => Promise<{ status: number; body: unknown }>,
  ) => Promise<void>;
}

/** A fresh run id, `<cluster>-<yyyymmdd-hhmmss>-<128 random bits>`: nobody can guess another's. */
function newRunId(clusterName: string): string {
  return formatMigrationRunId(
    clusterName,
    new Date(),
    randomBytes(RUN_ID_RANDOM_HEX / 2).toString('hex'),
  );
}

/** Refuses (409, nothing changed) when another holds the cluster's migration lock. */
async function unlocked(kube: MigrationGateways['kube'], runId: string): Promise<void> {
  try {
    await MigrationLock.check(kube, runId);
  } catch (e) {
    if (e instanceof Error && e.name === 'MigrationLockedError')
      throw new ConflictError(`${e.message}; nothing was changed`);
    throw e;
  }
}

/** The plan as shown to people: configuration values with secrets redacted. */
const shown = (plan: MigrationPlan): MigrationPlan => redactMigrationPlan(plan);

/** What the router learns from these routes: the runs in progress, for `GET /clusters/:c`. */
export interface MigrationRoutes {
  /** The run in progress on this cluster in this process, if any. */
  activeRun(clusterId: string): string | undefined;
  /** The cluster's runs, newest first. */
  runsOf(clusterId: string, limit?: number): Promise<MigrationRunItem[]>;
}

export function addMigrationRoutes(
  router: express.Router,
  deps: MigrationRouteDeps,
): MigrationRoutes {
  const { access, fleet, gateways, migrations, logger, auditor, config } = deps;
  /** Runs (or rollbacks) in progress in this process, by run id. */
  const active = new Map<string, Promise<unknown>>();
  /** The cluster id of each active run. */
  const activeCluster = new Map<string, string>();

  const mayRun = async (credentials: BackstageCredentials, cluster: PortalCluster) => {
    if (!(await access.may(hyperpodMigrationRunPermission, credentials, cluster)))
      throw new NotAllowedError(
        `you may not run migrations on ${cluster.name} (permission hyperpod.migration.run)`,
      );
  };

  const migrationGateways = async (entry: FleetEntry): Promise<MigrationGateways> => {
    const g = await gateways.migration(entry.target);
    if (!g)
      throw new ConflictError(
        `${entry.cluster.name} has no kubeconfig context in the fleet configuration: the portal cannot migrate it`,
      );
    return g;
  };

  const executeDeps = (
    g: MigrationGateways,
    cluster: PortalCluster,
    actor: string,
    runId: string,
  ): ExecuteMigrationDeps => ({
    ...g,
    store: migrations.forCluster(cluster, actor),
    actor: `${actor} (hyperpod portal)`,
    // This replica's process; the lock adds a random part per run, so neither another replica,
    // nor a CLI, nor a second run in this process shares the lease.
    holder: `hyperpod-portal@${hostname()}/pid-${process.pid}`,
    onFailure: 'rollback',
    wait: {
      pollMs: config.executor.upgradePollMs,
      timeoutMs: config.executor.upgradeTimeoutMs,
      degradedGraceMs: config.executor.degradedGraceMs,
    },
    // Event messages may quote API errors; the type and ids say where the run is.
    onEvent: (e) =>
      logger.debug(
        `migration ${runId}: ${e.type}${e.stepId ? ` ${e.stepId}` : ''}${e.actionId ? ` ${e.actionId}` : ''}`,
      ),
  });

  /** Runs `work` in the background; its end is logged and audited, never thrown at a caller. */
  const background = (
    runId: string,
    clusterId: string,
    action: 'start' | 'rollback',
    req: Request,
    work: () => Promise<MigrationOutcome>,
  ) => {
    const done = (async (): Promise<{ status: string; message: string; error?: Error }> => {
      const event = await auditor.createEvent({
        eventId: 'migration-run',
        severityLevel: 'high',
        request: req,
        meta: { action, runId },
      });
      try {
        const outcome = await work();
        logger.info(`migration ${runId} ${action}: ${outcome.status}`);
        await event.success({ meta: { status: outcome.status } });
        return { status: outcome.status, message: outcome.message };
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        logger.warn(`migration ${runId} ${action} failed: ${error.name}`);
        // A run the executor left without a last word says why it stopped.
        const run = await migrations.view(runId).catch(() => undefined);
        if (run) {
          const last = run.journal[run.journal.length - 1]?.type;
          if (last !== 'run-failed' && last !== 'rollback-failed' && last !== 'rollback-done')
            await migrations
              .append(runId, {
                at: new Date().toISOString(),
                type: action === 'start' ? 'run-aborted' : 'rollback-failed',
                message: error.message,
              })
              .catch(() => undefined);
        }
        await event.fail({ error });
        return { status: 'error', message: error.message, error };
      } finally {
        // The cluster changed (or may have): rescan before the run stops being active, so once
        // it is not the report shows the add-on (or the Helm install back), not the state before.
        // A start refused before its run was recorded changed nothing: no rescan to wait for.
        if (await migrations.view(runId).catch(() => undefined)) await fleet.rescan(clusterId);
        active.delete(runId);
        activeCluster.delete(runId);
      }
    })();
    active.set(runId, done);
    activeCluster.set(runId, clusterId);
    return done;
  };

  /** The plan for the body; an override that matches nothing in it is refused (400), nothing started. */
  const planFor = async (
    entry: FleetEntry,
    g: MigrationGateways,
    input: unknown,
    actor: string,
  ) => {
    const b = parse(migrationBody, input, 'migration body');
    const discovery = await discoverMigration(g, {
      clusterName: entry.target.name,
      profile: b.profile ?? DEFAULT_MIGRATION_PROFILE,
      ...(b.addonVersion ? { addonVersion: b.addonVersion } : {}),
    });
    const planned = planMigration(discovery, {
      now: new Date().toISOString(),
      acceptDrops: b.acceptDrops ?? [],
      allowReleaseStatus: b.allowReleaseStatus ?? [],
      requestedBy: actor,
    });
    // The validate step, as the CLI's: every permission the run and its rollback need; a missing
    // one is a blocker naming it and the shipped file that grants it.
    const { plan } = await preflightMigration(planned, discovery, g);
    const unmatched = unmatchedPlanOverrides(plan, {
      acceptDrops: b.acceptDrops ?? [],
      allowReleaseStatus: b.allowReleaseStatus ?? [],
    });
    if (unmatched.length > 0)
      throw new InputError(
        `invalid migration body: ${unmatched
          .map(
            (u) =>
              `${u.flag === 'accept-drop' ? 'acceptDrops' : 'allowReleaseStatus'} "${u.value}" ${u.reason}`,
          )
          .join('; ')}; nothing was started`,
      );
    return plan;
  };

  router.post('/clusters/:cluster/migrations/plan', async (req, res) => {
    const { credentials, actor } = await deps.user(req);
    const input = deps.body(req);
    parse(migrationBody, input, 'migration body');
    const entry = await deps.readable(credentials, req.params.cluster!);
    await mayRun(credentials, entry.cluster);
    const plan = await planFor(entry, await migrationGateways(entry), input, actor);
    res.json(shown(plan));
  });

  router.post('/clusters/:cluster/migrations', async (req, res) => {
    const { credentials, actor } = await deps.user(req);
    const input = deps.body(req);
    parse(migrationBody, input, 'migration body');
    await deps.idempotent(req, res, actor, async () => {
      const entry = await deps.readable(credentials, req.params.cluster!);
      await mayRun(credentials, entry.cluster);
      const g = await migrationGateways(entry);
      const plan = await planFor(entry, g, input, actor);
      if (plan.blockers.length > 0)
        throw new ConflictError(
          `the migration plan for ${entry.cluster.name} has ${plan.blockers.length} blocker(s), nothing was changed: ${plan.blockers.join('; ')}`,
        );
      const runId = newRunId(plan.cluster.name);
      await unlocked(g.kube, runId);
      // Answered once the run is recorded, so GET /migrations/:runId finds it at once; a run
      // that another took the lock from first is refused like a locked one.
      let recorded!: () => void;
      const created = new Promise<void>((resolve) => (recorded = resolve));
      const d = executeDeps(g, entry.cluster, actor, runId);
      const store = d.store;
      const done = background(runId, entry.cluster.id, 'start', req, () =>
        startMigration(plan, runId, {
          ...d,
          store: {
            ...store,
            create: async (...args) => {
              await store.create(...args);
              recorded();
            },
          },
        }),
      );
      const first = await Promise.race([created.then(() => undefined), done]);
      if (first !== undefined && first.status !== 'succeeded')
        throw first.error?.name === 'MigrationLockedError'
          ? new ConflictError(`${first.error.message}; nothing was changed`)
          : new ConflictError(`migration run ${runId} did not start: ${first.message}`);
      const body: MigrationRunStarted = { runId, cluster: entry.cluster };
      return { status: 202, body };
    });
  });

  /** A run the caller may read, with its fleet entry; 404 otherwise. */
  const visibleRun = async (credentials: BackstageCredentials, raw: string | undefined) => {
    const runId = parse(migrationRunId, raw, 'run id');
    const run = await migrations.view(runId);
    if (!run || !(await access.may(hyperpodClusterReadPermission, credentials, run.cluster)))
      throw new NotFoundError(`no migration run ${runId}`);
    return { runId, run };
  };

  const runsOf = async (clusterId: string, limit = 100): Promise<MigrationRunItem[]> =>
    (await migrations.listForCluster(clusterId, limit)).map((r) => ({
      ...r,
      active: active.has(r.runId),
    }));

  router.get('/clusters/:cluster/migrations', async (req, res) => {
    const credentials = await deps.reader(req);
    const entry = await deps.readable(credentials, req.params.cluster!);
    const body: MigrationRunList = { items: await runsOf(entry.cluster.id) };
    res.json(body);
  });

  router.get('/migrations/:runId', async (req, res) => {
    const credentials = await deps.reader(req);
    const { runId, run } = await visibleRun(credentials, req.params.runId);
    const body: MigrationRunView = {
      cluster: run.cluster,
      startedBy: run.startedBy,
      summary: run.summary,
      plan: shown(run.plan as MigrationPlan),
      journal: redactMigrationJournal(run.journal),
      active: active.has(runId),
      hasBackup: run.hasBackup,
    };
    res.json(body);
  });

  router.post('/migrations/:runId/rollback', async (req, res) => {
    const { credentials, actor } = await deps.user(req);
    if (Object.keys((deps.body(req) ?? {}) as object).length > 0)
      throw new InputError('invalid rollback body: takes no fields');
    const { runId, run } = await visibleRun(credentials, req.params.runId);
    await deps.idempotent(req, res, actor, async () => {
      await mayRun(credentials, run.cluster);
      if (active.has(runId))
        throw new ConflictError(`migration run ${runId} is still in progress; wait for it to end`);
      if (migrationRunState(run.journal[run.journal.length - 1]?.type) === 'rolled-back')
        throw new ConflictError(`migration run ${runId} is already rolled back`);
      const entry = await fleet.find(run.cluster.id);
      const g = await migrationGateways(entry);
      // A live holder (another replica, a CLI, even on this very run) keeps the cluster.
      await unlocked(g.kube, runId);
      background(runId, run.cluster.id, 'rollback', req, () =>
        rollbackMigration(runId, executeDeps(g, run.cluster, actor, runId)),
      );
      const body: MigrationRunStarted = { runId, cluster: run.cluster };
      return { status: 202, body };
    });
  });

  return {
    activeRun: (clusterId) => [...activeCluster].find(([, c]) => c === clusterId)?.[0],
    runsOf,
  };
}
