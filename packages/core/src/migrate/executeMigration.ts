/**
 * Runs a MigrationPlan, and undoes it. One executor for every face (CLI, portal backend):
 *
 * - takes the cluster's migration lock (a Lease held by this process, never shared with another
 *   process, even one working on the same run) and proves it still holds it before every action
 *   (fencing): a run whose lease was lost stops, journals why and changes nothing more;
 * - writes the backup before the first change: every Helm revision secret and every object of the
 *   release as it is, an inventory of the cluster's objects, the tags, roles and add-ons it will touch;
 * - journals each action as started and done, so a crashed or interrupted run resumes where it
 *   stopped (every action is idempotent: done twice is done once);
 * - on failure rolls back (or stops, `onFailure: 'stop'`) and asks before each step when a
 *   `confirm` callback is given.
 *
 * Rollback converges the cluster to the backup, whatever point the run reached: created add-ons
 * deleted (their objects removed, the objects they took over restored), objects restored exactly as
 * saved (replicas included), created roles deleted, tags put back to their previous sets.
 */
import { strFromU8, strToU8 } from 'fflate';
import {
  decodeHelmReleaseData,
  decodeHelmReleaseSecret,
  encodeHelmReleaseData,
} from '../helm/helmReleaseCodec';
import { componentForAddon } from '../components/addonComponents';
import { decodeBase64, encodeBase64 } from '../helm/base64';
import type { AcmGateway } from '../ports/AcmGateway';
import type { EksAddon, EksGateway } from '../ports/EksGateway';
import type { Elbv2Gateway } from '../ports/Elbv2Gateway';
import { GatewayError } from '../ports/GatewayError';
import type { IamGateway, IamRole } from '../ports/IamGateway';
import type { KubeGateway, KubeObject, KubeRef } from '../ports/KubeGateway';
import type { MigrationJournalEntry, MigrationStore } from '../ports/MigrationStore';
import type { S3Gateway } from '../ports/S3Gateway';
import type { StsGateway } from '../ports/StsGateway';
import { sleep as timerSleep } from '../scan/timers';
import { withRetry, type RetryOptions } from '../scan/withRetry';
import {
  checkMigrationPlan,
  planActions,
  type MigrationAction,
  type MigrationPlan,
  type MigrationStep,
  type TagAction,
} from './MigrationPlan';
import { discoverReleaseObjects } from './discoverReleaseObjects';
import { describeRef, isClusterScoped, refKey, refOf } from './manifest';
import { LeaseLostError, MigrationLock, type LeaseLock } from './migrationLock';
import { CREATED_BY_TAG } from './profiles';
import { clientRequestToken } from './clientRequestToken';

export const MIGRATION_BACKUP_SCHEMA_VERSION = 1;
export const MIGRATED_LABEL = 'kubectl-hyperpod.io/migrated-to';
const EKS_MANAGER = 'eks';

/** Kinds whose objects an add-on may create; listed before and after to find what a run made. */
export const INVENTORY_KINDS: readonly { apiVersion: string; kind: string }[] = [
  { apiVersion: 'v1', kind: 'Namespace' },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  { apiVersion: 'v1', kind: 'Service' },
  { apiVersion: 'v1', kind: 'ConfigMap' },
  { apiVersion: 'apps/v1', kind: 'Deployment' },
  { apiVersion: 'apps/v1', kind: 'DaemonSet' },
  { apiVersion: 'apps/v1', kind: 'StatefulSet' },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet' },
  { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole' },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding' },
  { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver' },
  { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration' },
  { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration' },
];

export interface MigrationBackup {
  schemaVersion: typeof MIGRATION_BACKUP_SCHEMA_VERSION;
  runId: string;
  /** ISO-8601. */
  takenAt: string;
  /** Objects as they were (Helm release secrets included: the store keeps them 0600). */
  objects: KubeObject[];
  /** refKeys of every object of INVENTORY_KINDS before the run. */
  inventory: string[];
  /** Tags of every tag target before the run, by tag action id. */
  tags: Record<string, Record<string, string>>;
  /** Roles the plan creates, as they were (null = absent). */
  roles: Record<string, IamRole | null>;
  /** Add-ons the plan creates, as they were (null = absent). */
  addons: Record<string, EksAddon | null>;
}

export type MigrationStatus = 'succeeded' | 'rolled-back' | 'failed' | 'aborted' | 'refused';

export interface MigrationEvent {
  /** ISO-8601. */
  at: string;
  type:
    | 'lock-acquired'
    | 'backup-written'
    | 'step-started'
    | 'step-done'
    | 'action-started'
    | 'action-done'
    | 'action-skipped'
    | 'waiting'
    | 'retry'
    | 'failed'
    | 'rollback-started'
    | 'rollback-progress'
    | 'rollback-done'
    | 'rollback-failed'
    | 'aborted'
    | 'succeeded';
  message: string;
  stepId?: string;
  actionId?: string;
}

export interface MigrationOutcome {
  runId: string;
  status: MigrationStatus;
  message: string;
  /** Where the backup and journal are. */
  location: string;
  failedAction?: string;
  error?: string;
  /** Rollback problems (each a thing left to do by hand). */
  rollbackErrors: string[];
}

export interface MigrationGateways {
  eks: EksGateway;
  kube: KubeGateway;
  iam: IamGateway;
  s3?: S3Gateway;
  elbv2?: Elbv2Gateway;
  acm?: AcmGateway;
  /** Who the caller is, for the permission preflight's simulation. */
  sts?: StsGateway;
}

export type StepAnswer = 'yes' | 'rollback' | 'abort';

export interface ExecuteMigrationDeps extends MigrationGateways {
  store: MigrationStore;
  /** Who runs it (`user@host`), recorded in the journal. */
  actor: string;
  /**
   * This process, as the lock names it (`user@host/pid-4242`); the lock adds a random part, so no
   * two processes (or two runs in one process) share a lease. Default: `actor`.
   */
  holder?: string;
  /** Told the lock once it is taken (so a face can release it when interrupted). */
  onLock?: (lock: LeaseLock) => void;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Retries of each call (throttling, 5xx). Default 8 tries, 200 ms base, 5 s cap. */
  retry?: RetryOptions;
  /** Polling of add-on status. */
  wait?: { pollMs?: number; timeoutMs?: number; degradedGraceMs?: number };
  lease?: { namespace?: string; durationSeconds?: number };
  onEvent?: (e: MigrationEvent) => void;
  /** Asked before each step; undefined = never ask (`--auto-approve`). */
  confirm?: (step: MigrationStep, index: number, total: number) => Promise<StepAnswer>;
  /** Default 'rollback'. */
  onFailure?: 'rollback' | 'stop';
}

const DEFAULT_RETRY: RetryOptions = { attempts: 8, baseDelayMs: 200, maxDelayMs: 5_000 };

class Run {
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  lock: MigrationLock | undefined;
  constructor(
    readonly runId: string,
    readonly plan: MigrationPlan,
    readonly deps: ExecuteMigrationDeps,
  ) {
    this.now = deps.now ?? (() => new Date());
    this.sleep = deps.sleep ?? timerSleep;
  }

  emit(type: MigrationEvent['type'], message: string, extra: Partial<MigrationEvent> = {}): void {
    this.deps.onEvent?.({ at: this.now().toISOString(), type, message, ...extra });
  }

  call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    // Fenced: nothing more goes to AWS or Kubernetes once the lease is lost.
    if (this.lock?.lost) return Promise.reject(new LeaseLostError(this.lock.lost));
    return withRetry(fn, {
      ...DEFAULT_RETRY,
      ...this.deps.retry,
      onRetry: (e, attempt, delay) =>
        this.emit(
          'retry',
          `${what}: ${e instanceof Error ? e.message : String(e)}; retry ${attempt} in ${delay} ms`,
        ),
    });
  }

  journal(entry: Omit<MigrationJournalEntry, 'at'>): Promise<void> {
    return this.deps.store.append(this.runId, { at: this.now().toISOString(), ...entry });
  }
}

/** Records a new run (plan checked, blockers refused) and runs it. */
export async function startMigration(
  plan: MigrationPlan,
  runId: string,
  deps: ExecuteMigrationDeps,
): Promise<MigrationOutcome> {
  const check = checkMigrationPlan(plan);
  if (!check.valid) throw new Error(`not a valid migration plan: ${check.errors.join('; ')}`);
  const location = deps.store.location(runId);
  if (plan.blockers.length > 0)
    return {
      runId,
      status: 'refused',
      message: `the plan has ${plan.blockers.length} blocker(s): ${plan.blockers.join('; ')}`,
      location,
      rollbackErrors: [],
    };
  const run = new Run(runId, plan, deps);
  // A run another one holds the cluster against leaves no record behind.
  await MigrationLock.check(deps.kube, runId, leaseOpts(run));
  await deps.store.create(runId, plan, {
    clusterName: plan.cluster.name,
    clusterArn: plan.cluster.arn,
    profile: plan.profile,
    createdAt: run.now().toISOString(),
  });
  return runMigration(run, []);
}

/** Continues a run from its journal. */
export async function resumeMigration(
  runId: string,
  deps: ExecuteMigrationDeps,
): Promise<MigrationOutcome> {
  const stored = await deps.store.read(runId);
  if (!stored) throw new Error(`no migration run ${runId} in ${deps.store.location(runId)}`);
  const check = checkMigrationPlan(stored.plan);
  if (!check.valid)
    throw new Error(`run ${runId}: stored plan is not valid: ${check.errors.join('; ')}`);
  const last = stored.journal[stored.journal.length - 1]?.type;
  if (last === 'run-succeeded') {
    // Finished: only the lock may be left (the process died releasing it).
    const lock = await MigrationLock.acquire(deps.kube, deps.holder ?? deps.actor, runId, {
      ...deps.lease,
      ...(deps.now ? { now: deps.now } : {}),
    });
    await lock.release();
    return {
      runId,
      status: 'succeeded',
      message: `run ${runId} had already finished: nothing left to do`,
      location: deps.store.location(runId),
      rollbackErrors: [],
    };
  }
  if (last === 'rollback-done' || last === 'rollback-started' || last === 'rollback-failed')
    throw new Error(
      `run ${runId} was rolled back${last === 'rollback-done' ? '' : ' partly'}: it cannot be resumed; start a new migration${last === 'rollback-done' ? '' : ` after finishing the rollback (kubectl hyperpod migrate rollback --run ${runId})`}`,
    );
  return runMigration(new Run(runId, stored.plan as MigrationPlan, deps), stored.journal);
}

/** Rolls a run back to its backup, from whatever point it reached. */
export async function rollbackMigration(
  runId: string,
  deps: ExecuteMigrationDeps,
): Promise<MigrationOutcome> {
  const stored = await deps.store.read(runId);
  if (!stored) throw new Error(`no migration run ${runId} in ${deps.store.location(runId)}`);
  const run = new Run(runId, stored.plan as MigrationPlan, deps);
  const location = deps.store.location(runId);
  if (!stored.backup) {
    // Nothing was changed before the backup is written; only the lock may be left.
    run.lock = await MigrationLock.acquire(
      deps.kube,
      deps.holder ?? deps.actor,
      runId,
      leaseOpts(run),
    );
    await run.lock.release();
    await run.journal({
      type: 'rollback-done',
      message: 'nothing to roll back: the run stopped before any change',
    });
    return {
      runId,
      status: 'rolled-back',
      message: 'nothing had changed',
      location,
      rollbackErrors: [],
    };
  }
  run.lock = await MigrationLock.acquire(
    deps.kube,
    deps.holder ?? deps.actor,
    runId,
    leaseOpts(run),
  );
  try {
    const errors = await rollback(run, stored.backup as MigrationBackup, stored.journal);
    return {
      runId,
      status: errors.length ? 'failed' : 'rolled-back',
      message: errors.length
        ? `rollback left ${errors.length} thing(s) to fix`
        : 'rolled back to the backup',
      location,
      rollbackErrors: errors,
    };
  } finally {
    await run.lock.release().catch(() => run.lock?.abandon());
  }
}

function leaseOpts(run: Run) {
  return { ...run.deps.lease, now: run.now };
}

async function runMigration(run: Run, journal: MigrationJournalEntry[]): Promise<MigrationOutcome> {
  const { deps, plan, runId } = run;
  const location = deps.store.location(runId);
  const done = new Set(
    journal
      .filter((e) => e.type === 'action-done' || e.type === 'action-skipped')
      .map((e) => e.actionId),
  );
  const started = new Set(
    journal.filter((e) => e.type === 'action-started').map((e) => e.actionId),
  );
  run.lock ??= await MigrationLock.acquire(
    deps.kube,
    deps.holder ?? deps.actor,
    runId,
    leaseOpts(run),
  );
  deps.onLock?.(run.lock);
  run.emit('lock-acquired', `holding lock ${run.lock.leaseName} as ${run.lock.holderIdentity}`);
  let current: { step: MigrationStep; action?: MigrationAction } | undefined;
  try {
    await run.journal({
      type: 'run-started',
      actor: deps.actor,
      message: journal.length ? 'resumed' : 'started',
    });
    let backup = (await deps.store.read(runId))?.backup as MigrationBackup | undefined;
    if (!backup) {
      backup = await takeBackup(run);
      await deps.store.writeBackup(runId, backup);
      run.emit('backup-written', `backup written to ${location}`);
    }
    for (const [index, step] of plan.steps.entries()) {
      current = { step };
      if (step.actions.every((a) => done.has(a.id))) continue;
      if (deps.confirm) {
        const answer = await deps.confirm(step, index, plan.steps.length);
        if (answer === 'abort') {
          await run.journal({
            type: 'run-aborted',
            stepId: step.id,
            message: 'aborted before this step',
          });
          run.emit('aborted', `aborted before step ${step.title}`, { stepId: step.id });
          return {
            runId,
            status: 'aborted',
            message: `aborted before "${step.title}": resume with kubectl hyperpod migrate --resume ${runId}, or undo with kubectl hyperpod migrate rollback --run ${runId}`,
            location,
            rollbackErrors: [],
          };
        }
        if (answer === 'rollback') {
          const errors = await rollback(run, backup, await journalOf(run));
          return rolledBack(run, errors, 'rolled back on request');
        }
      }
      run.emit('step-started', step.title, { stepId: step.id });
      for (const action of step.actions) {
        current = { step, action };
        if (done.has(action.id)) continue;
        await run.lock.assertHeld();
        await run.journal({ type: 'action-started', stepId: step.id, actionId: action.id });
        run.emit('action-started', action.summary, { stepId: step.id, actionId: action.id });
        const result = await perform(run, action, started.has(action.id));
        const skipped = result && typeof result === 'object' && 'skipped' in result;
        await run.journal({
          type: skipped ? 'action-skipped' : 'action-done',
          stepId: step.id,
          actionId: action.id,
          ...(result !== undefined ? { result } : {}),
        });
        run.emit(
          skipped ? 'action-skipped' : 'action-done',
          skipped
            ? `${action.summary}: ${(result as { skipped: string }).skipped}`
            : action.summary,
          {
            stepId: step.id,
            actionId: action.id,
          },
        );
        done.add(action.id);
      }
      run.emit('step-done', step.title, { stepId: step.id });
    }
    await run.journal({ type: 'run-succeeded' });
    run.emit(
      'succeeded',
      `${plan.target.addonName} ${plan.target.addonVersion} is ACTIVE on ${plan.cluster.name}`,
    );
    return {
      runId,
      status: 'succeeded',
      message: `migrated to ${plan.target.addonName} ${plan.target.addonVersion}`,
      location,
      rollbackErrors: [],
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (e instanceof LeaseLostError || run.lock.lost) return lockLost(run, current, e);
    const where = current?.action
      ? `${current.step.title}: ${current.action.summary}`
      : (current?.step.title ?? 'before the first step');
    run.emit('failed', `${where}: ${message}`, {
      stepId: current?.step.id,
      actionId: current?.action?.id,
    });
    await run
      .journal({
        type: 'run-failed',
        stepId: current?.step.id,
        actionId: current?.action?.id,
        message,
      })
      .catch(() => undefined);
    const stored = await deps.store.read(runId).catch(() => undefined);
    if ((deps.onFailure ?? 'rollback') === 'rollback' && stored?.backup) {
      const errors = await rollback(run, stored.backup as MigrationBackup, stored.journal).catch(
        (re: unknown) => [`rollback stopped: ${re instanceof Error ? re.message : String(re)}`],
      );
      const out = rolledBack(run, errors, `failed at ${where}: ${message}`);
      return {
        ...out,
        ...(current?.action ? { failedAction: current.action.id } : {}),
        error: message,
      };
    }
    return {
      runId,
      status: 'failed',
      message: `failed at ${where}: ${message}. Resume with kubectl hyperpod migrate --resume ${runId}, or undo with kubectl hyperpod migrate rollback --run ${runId}`,
      location,
      ...(current?.action ? { failedAction: current.action.id } : {}),
      error: message,
      rollbackErrors: [],
    };
  } finally {
    await run.lock.release().catch(() => run.lock?.abandon());
  }
}

/**
 * The lease was lost mid-run: another process may be changing the cluster now, so this one
 * neither continues nor rolls back. The journal says where it stopped.
 */
async function lockLost(
  run: Run,
  current: { step: MigrationStep; action?: MigrationAction } | undefined,
  e: unknown,
): Promise<MigrationOutcome> {
  const why = run.lock?.lost ?? (e instanceof Error ? e.message : String(e));
  const where = current?.action
    ? `before or during "${current.action.summary}"`
    : `before "${current?.step.title ?? 'the first step'}"`;
  const message = `stopped ${where}: ${why}; this process changed nothing more and did not roll back`;
  run.emit('failed', message, { stepId: current?.step.id, actionId: current?.action?.id });
  await run
    .journal({
      type: 'run-failed',
      stepId: current?.step.id,
      actionId: current?.action?.id,
      message,
    })
    .catch(() => undefined);
  return {
    runId: run.runId,
    status: 'failed',
    message: `${message}. See who holds the cluster with kubectl hyperpod migrate history; once no one does, resume with kubectl hyperpod migrate --resume ${run.runId}, or undo with kubectl hyperpod migrate rollback --run ${run.runId}`,
    location: run.deps.store.location(run.runId),
    ...(current?.action ? { failedAction: current.action.id } : {}),
    error: why,
    rollbackErrors: [],
  };
}

function rolledBack(run: Run, errors: string[], why: string): MigrationOutcome {
  return {
    runId: run.runId,
    status: errors.length ? 'failed' : 'rolled-back',
    message: errors.length
      ? `${why}; rollback left ${errors.length} thing(s) to fix: ${errors.join('; ')}`
      : `${why}; rolled back to the backup`,
    location: run.deps.store.location(run.runId),
    rollbackErrors: errors,
  };
}

async function journalOf(run: Run): Promise<MigrationJournalEntry[]> {
  return (await run.deps.store.read(run.runId))?.journal ?? [];
}

// ---------------------------------------------------------------------------------------------
// Backup

async function takeBackup(run: Run): Promise<MigrationBackup> {
  const { kube, eks, iam } = run.deps;
  const plan = run.plan;
  const refs = new Map<string, KubeRef>();
  const helmSecrets = await run.call('list Helm release secrets', () =>
    kube.list('v1', 'Secret', {
      namespace: plan.source.namespace,
      labelSelector: `owner=helm,name=${plan.source.release}`,
    }),
  );
  const objects: KubeObject[] = [...helmSecrets];
  for (const { action } of planActions(plan)) {
    if (action.kind === 'kube.delete' || action.kind === 'kube.scale')
      refs.set(refKey(action.ref), action.ref);
  }
  // Every object of the release (the add-ons may take any of them over).
  const inventory: string[] = [];
  const written = addonCrdGroups(plan);
  for (const k of INVENTORY_KINDS) {
    const items = await run.call(`list ${k.kind}`, () => kube.list(k.apiVersion, k.kind));
    for (const o of items) {
      inventory.push(refKey(refOf(o)));
      // CRDs an add-on will apply over, whoever made them (kubectl before a chart with
      // crds.enabled=false): rollback puts them back as they were.
      if (k.kind === 'CustomResourceDefinition' && written.has(crdGroup(o.metadata.name)))
        refs.set(refKey(refOf(o)), refOf(o));
    }
  }
  for (const r of await releaseRefs(run)) refs.set(refKey(r), r);
  for (const ref of refs.values()) {
    const o = await run.call(`get ${describeRef(ref)}`, () => kube.get(ref));
    if (o) objects.push(o);
  }
  const tags: Record<string, Record<string, string>> = {};
  const roles: Record<string, IamRole | null> = {};
  const addons: Record<string, EksAddon | null> = {};
  for (const { action } of planActions(plan)) {
    if (action.kind === 'tag') tags[action.id] = await readTags(run, action);
    if (action.kind === 'iam.createRole')
      roles[action.roleName] =
        (await run.call(`GetRole ${action.roleName}`, () => iam.getRole(action.roleName))) ?? null;
    if (action.kind === 'eks.createAddon')
      addons[action.addonName] =
        (await run.call(`DescribeAddon ${action.addonName}`, () =>
          eks.describeAddon(plan.cluster.name, action.addonName),
        )) ?? null;
  }
  return {
    schemaVersion: MIGRATION_BACKUP_SCHEMA_VERSION,
    runId: run.runId,
    takenAt: run.now().toISOString(),
    objects,
    inventory,
    tags,
    roles,
    addons,
  };
}

/** API groups of the CRDs the add-ons the plan creates will apply. */
function addonCrdGroups(plan: MigrationPlan): Set<string> {
  return new Set(
    planActions(plan).flatMap(({ action }) =>
      action.kind === 'eks.createAddon'
        ? (componentForAddon(action.addonName)?.crdGroups ?? [])
        : [],
    ),
  );
}

/** A CRD's group, from its name (`<plural>.<group>`). */
const crdGroup = (name: string): string => name.slice(name.indexOf('.') + 1);

/**
 * Every object of the release's newest revision: its manifest's objects, its hooks and its
 * charts' crds/ CRDs (which Helm keeps out of the manifest, and an add-on may overwrite).
 */
async function releaseRefs(run: Run): Promise<KubeRef[]> {
  const secret = await run.call('get Helm release', () =>
    run.deps.kube.get({
      apiVersion: 'v1',
      kind: 'Secret',
      namespace: run.plan.source.namespace,
      name: `sh.helm.release.v1.${run.plan.source.release}.v${run.plan.source.revision}`,
    }),
  );
  if (!secret) return [];
  const release = decodeHelmReleaseSecret(secret as Parameters<typeof decodeHelmReleaseSecret>[0]);
  const found = await discoverReleaseObjects(
    run.deps.kube,
    release,
    (what, fn) => run.call(what, fn),
    [],
  );
  return [
    ...found.objects.map((o) => o.ref),
    ...found.hooks.map((h) => h.ref),
    ...found.crds.map((c) => c.ref),
  ];
}

async function readTags(run: Run, action: TagAction): Promise<Record<string, string>> {
  const t = action.target;
  if (t.type === 'load-balancer') {
    const all = await run.call(`DescribeTags ${t.arn}`, () =>
      need(run.deps.elbv2, 'elbv2').getTags([t.arn]),
    );
    return all[t.arn] ?? {};
  }
  if (t.type === 'certificate')
    return run.call(`ListTagsForCertificate ${t.arn}`, () =>
      need(run.deps.acm, 'acm').listTags(t.arn),
    );
  return run.call(`GetObjectTagging ${t.bucket}/${t.key}`, () =>
    need(run.deps.s3, 's3').getObjectTagging(t.bucket, t.key),
  );
}

function need<T>(g: T | undefined, name: string): T {
  if (!g) throw new Error(`the plan tags ${name} resources but no ${name} gateway was given`);
  return g;
}

// ---------------------------------------------------------------------------------------------
// Actions

type ActionResult = undefined | { skipped: string } | Record<string, unknown>;

async function perform(
  run: Run,
  action: MigrationAction,
  wasStarted: boolean,
): Promise<ActionResult> {
  const { eks, kube, iam } = run.deps;
  const cluster = run.plan.cluster.name;
  switch (action.kind) {
    case 'iam.createRole': {
      const existing = await run.call(`GetRole ${action.roleName}`, () =>
        iam.getRole(action.roleName),
      );
      if (existing && existing.tags[CREATED_BY_TAG.key] !== CREATED_BY_TAG.value && !wasStarted)
        throw new Error(
          `role ${action.roleName} appeared since the plan was made and is not ours: refusing to change it`,
        );
      if (!existing) {
        try {
          await run.call(`CreateRole ${action.roleName}`, () =>
            iam.createRole({
              name: action.roleName,
              trustPolicy: action.trustPolicy,
              description: `Made by kubectl-hyperpod migrate (run ${run.runId}) from ${action.copyFrom}`,
              tags: action.tags,
            }),
          );
        } catch (e) {
          // A retried CreateRole whose first try went through.
          if (!(e instanceof GatewayError && e.kind === 'Conflict')) throw e;
        }
      }
      for (const arn of action.attachPolicyArns)
        await run.call(`AttachRolePolicy ${action.roleName}`, () =>
          iam.attachRolePolicy(action.roleName, arn),
        );
      for (const [name, doc] of Object.entries(action.inlinePolicies))
        await run.call(`PutRolePolicy ${action.roleName}`, () =>
          iam.putRolePolicy(action.roleName, name, doc),
        );
      return { roleArn: `arn:aws:iam::${run.plan.cluster.accountId}:role/${action.roleName}` };
    }
    case 'tag': {
      const t = action.target;
      const add = { [CREATED_BY_TAG.key]: CREATED_BY_TAG.value };
      if (t.type === 'load-balancer')
        await run.call(`AddTags ${t.arn}`, () =>
          need(run.deps.elbv2, 'elbv2').addTags([t.arn], add),
        );
      else if (t.type === 'certificate')
        await run.call(`AddTagsToCertificate ${t.arn}`, () =>
          need(run.deps.acm, 'acm').addTags(t.arn, add),
        );
      else {
        // S3 replaces the whole set: merge with what is there now.
        const s3 = need(run.deps.s3, 's3');
        const current = await run.call(`GetObjectTagging ${t.key}`, () =>
          s3.getObjectTagging(t.bucket, t.key),
        );
        if (current[CREATED_BY_TAG.key] !== CREATED_BY_TAG.value)
          await run.call(`PutObjectTagging ${t.key}`, () =>
            s3.putObjectTagging(t.bucket, t.key, { ...current, ...add }),
          );
      }
      return undefined;
    }
    case 'kube.scale': {
      try {
        await run.call(`scale ${describeRef(action.ref)}`, () =>
          kube.patch(action.ref, { spec: { replicas: action.after } }),
        );
      } catch (e) {
        if (e instanceof GatewayError && e.kind === 'NotFound')
          return { skipped: 'it no longer exists' };
        throw e;
      }
      return undefined;
    }
    case 'eks.createAddon': {
      const existing = await run.call(`DescribeAddon ${action.addonName}`, () =>
        eks.describeAddon(cluster, action.addonName),
      );
      if (existing) {
        if (wasStarted) return { existed: 'created by this run before it was interrupted' };
        throw new Error(
          `add-on ${action.addonName} appeared since the plan was made (${existing.addonVersion}, ${existing.status})`,
        );
      }
      try {
        await run.call(`CreateAddon ${action.addonName}`, () =>
          eks.createAddon({
            clusterName: cluster,
            addonName: action.addonName,
            addonVersion: action.addonVersion,
            resolveConflicts: action.resolveConflicts,
            clientRequestToken: clientRequestToken(run.runId, action.id),
            ...(action.configurationValues
              ? { configurationValues: action.configurationValues }
              : {}),
            ...(action.serviceAccountRoleArn
              ? { serviceAccountRoleArn: action.serviceAccountRoleArn }
              : {}),
          }),
        );
      } catch (e) {
        // A retried CreateAddon whose first try went through.
        const again = await run.call(`DescribeAddon ${action.addonName}`, () =>
          eks.describeAddon(cluster, action.addonName),
        );
        if (!again) throw e;
      }
      return undefined;
    }
    case 'eks.waitActive':
      return waitActive(run, action.addonName);
    case 'kube.delete': {
      if (action.unlessAdoptedBy) {
        const live = await run.call(`get ${describeRef(action.ref)}`, () => kube.get(action.ref));
        if (!live) return { skipped: 'already gone' };
        if (managedBy(live, action.unlessAdoptedBy)) return { skipped: 'the add-on took it over' };
      }
      const deleted = await run.call(`delete ${describeRef(action.ref)}`, () =>
        kube.delete(action.ref),
      );
      return deleted ? undefined : { skipped: 'already gone' };
    }
    case 'helm.markMigrated':
      await markRelease(run, action);
      return undefined;
  }
}

async function waitActive(run: Run, addonName: string): Promise<ActionResult> {
  const w = run.deps.wait ?? {};
  const pollMs = w.pollMs ?? 5_000;
  const timeoutMs = w.timeoutMs ?? 20 * 60_000;
  const grace = w.degradedGraceMs ?? 2 * 60_000;
  const start = run.now().getTime();
  let degradedSince: number | undefined;
  let last = '';
  for (;;) {
    const a = await run.call(`DescribeAddon ${addonName}`, () =>
      run.deps.eks.describeAddon(run.plan.cluster.name, addonName),
    );
    if (!a) throw new Error(`add-on ${addonName} disappeared while waiting for it`);
    const elapsed = run.now().getTime() - start;
    if (a.status !== last) {
      run.emit('waiting', `${addonName} is ${a.status} (${Math.round(elapsed / 1000)} s)`);
      last = a.status;
    }
    if (a.status === 'ACTIVE') return { status: 'ACTIVE', seconds: Math.round(elapsed / 100) / 10 };
    const issues = a.issues.map((i) => `${i.code}: ${i.message}`).join('; ');
    if (
      a.status === 'CREATE_FAILED' ||
      a.status === 'UPDATE_FAILED' ||
      a.status === 'DELETE_FAILED'
    )
      throw new Error(`add-on ${addonName} is ${a.status}${issues ? `: ${issues}` : ''}`);
    if (a.status === 'DEGRADED') {
      degradedSince ??= run.now().getTime();
      if (run.now().getTime() - degradedSince >= grace)
        throw new Error(
          `add-on ${addonName} stayed DEGRADED for ${Math.round(grace / 1000)} s${issues ? `: ${issues}` : ''}`,
        );
    } else degradedSince = undefined;
    if (elapsed >= timeoutMs)
      throw new Error(
        `add-on ${addonName} was not ACTIVE after ${Math.round(timeoutMs / 1000)} s (last status ${a.status})`,
      );
    await run.sleep(pollMs);
  }
}

/** A ReplicaSet a Deployment that existed before the run rolled out during it. */
function rolledOutBy(o: KubeObject, before: Set<string>, saved: Set<string>): boolean {
  if (o.kind !== 'ReplicaSet') return false;
  const owners = (o.metadata['ownerReferences'] ?? []) as {
    kind?: string;
    name?: string;
    controller?: boolean;
  }[];
  return owners.some((r) => {
    if (r.kind !== 'Deployment' || !r.controller || !r.name) return false;
    const key = refKey({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: o.metadata.namespace,
      name: r.name,
    });
    return before.has(key) || saved.has(key);
  });
}

function managedBy(o: KubeObject, manager: string): boolean {
  const mf = o.metadata['managedFields'];
  return Array.isArray(mf) && mf.some((m) => (m as { manager?: string }).manager === manager);
}

async function markRelease(
  run: Run,
  action: Extract<MigrationAction, { kind: 'helm.markMigrated' }>,
): Promise<void> {
  const ref: KubeRef = {
    apiVersion: 'v1',
    kind: 'Secret',
    namespace: action.namespace,
    name: `sh.helm.release.v1.${action.release}.v${action.revision}`,
  };
  const secret = await run.call(`get ${describeRef(ref)}`, () => run.deps.kube.get(ref));
  if (!secret) throw new Error(`Helm release secret ${describeRef(ref)} is gone`);
  const labels: Record<string, string> = {
    ...(secret.metadata.labels ?? {}),
    [MIGRATED_LABEL]: run.plan.target.addonName,
  };
  const data = { ...((secret['data'] as Record<string, string>) ?? {}) };
  if (action.mode === 'uninstalled' && labels['status'] !== 'uninstalled') {
    const wire = decodeHelmReleaseData(strFromU8(decodeBase64(data['release']!)));
    const now = run
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    wire.info = {
      first_deployed: wire.info?.first_deployed ?? now,
      last_deployed: wire.info?.last_deployed ?? now,
      ...wire.info,
      status: 'uninstalled',
      description: action.description,
      deleted: now,
    };
    data['release'] = encodeBase64(strToU8(encodeHelmReleaseData(wire)));
    labels['status'] = 'uninstalled';
    labels['modifiedAt'] = String(Math.trunc(run.now().getTime() / 1000));
  }
  await run.call(`update ${describeRef(ref)}`, () =>
    run.deps.kube.replace({ ...secret, metadata: { ...secret.metadata, labels }, data }),
  );
}

// ---------------------------------------------------------------------------------------------
// Rollback

async function rollback(
  run: Run,
  backup: MigrationBackup,
  journal: MigrationJournalEntry[],
): Promise<string[]> {
  const { kube, iam } = run.deps;
  const errors: string[] = [];
  const touched = new Set(
    journal.filter((e) => e.type === 'action-started').map((e) => e.actionId),
  );
  const actions = planActions(run.plan)
    .map((x) => x.action)
    .filter((a) => touched.has(a.id));
  await run.journal({ type: 'rollback-started', actor: run.deps.actor }).catch(() => undefined);
  run.emit('rollback-started', `rolling back ${actions.length} action(s) from the backup`);
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      // Fenced like the run: a rollback whose lease was lost leaves the rest to the new holder.
      await run.lock?.assertHeld();
      await fn();
      run.emit('rollback-progress', what);
    } catch (e) {
      errors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  // 1. Add-ons the run created: deleted, keeping their objects for step 2 to sort out (never
  // deleting CRDs that existed before, and with them users' resources).
  for (const a of [...actions].reverse()) {
    if (a.kind !== 'eks.createAddon' || backup.addons[a.addonName]) continue;
    await attempt(`delete add-on ${a.addonName}`, () => deleteAddon(run, a.addonName));
  }

  // 2. Objects as they were, then what the run made that was not there before: objects the
  // add-ons applied (EKS's field manager) and the ReplicaSets their pod templates rolled out.
  const ordered = [...backup.objects].sort((x, y) => rank(x) - rank(y));
  for (const saved of ordered)
    await attempt(`restore ${describeRef(refOf(saved))}`, () => restoreObject(run, saved));
  const created: KubeObject[] = [];
  await attempt('list objects the run created', async () => {
    const before = new Set(backup.inventory);
    const saved = new Set(backup.objects.map((o) => refKey(refOf(o))));
    for (const k of INVENTORY_KINDS) {
      const items = await run.call(`list ${k.kind}`, () => kube.list(k.apiVersion, k.kind));
      for (const o of items) {
        const key = refKey(refOf(o));
        if (before.has(key) || saved.has(key)) continue;
        if (managedBy(o, EKS_MANAGER) || rolledOutBy(o, before, saved)) created.push(o);
      }
    }
  });
  // Namespaced first, namespaces last.
  created.sort((x, y) => rank(y) - rank(x));
  for (const o of created)
    await attempt(`delete ${describeRef(refOf(o))}`, async () => {
      await run.call(`delete ${describeRef(refOf(o))}`, () => kube.delete(refOf(o)));
    });

  // 3. Roles the run created.
  for (const a of actions) {
    if (a.kind !== 'iam.createRole' || backup.roles[a.roleName]) continue;
    await attempt(`delete role ${a.roleName}`, async () => {
      const role = await run.call(`GetRole ${a.roleName}`, () => iam.getRole(a.roleName));
      if (!role) return;
      for (const arn of role.attachedPolicyArns)
        await run.call(`DetachRolePolicy ${a.roleName}`, () =>
          iam.detachRolePolicy(a.roleName, arn),
        );
      for (const name of role.inlinePolicyNames)
        await run.call(`DeleteRolePolicy ${a.roleName}`, () =>
          iam.deleteRolePolicy(a.roleName, name),
        );
      await run
        .call(`DeleteRole ${a.roleName}`, () => iam.deleteRole(a.roleName))
        .catch((e: unknown) => {
          if (!(e instanceof GatewayError && e.kind === 'NotFound')) throw e;
        });
    });
  }

  // 4. Tags, back to their previous sets.
  for (const a of actions) {
    if (a.kind !== 'tag') continue;
    const previous = backup.tags[a.id] ?? a.before;
    await attempt(
      `restore tags of ${a.target.type} ${'arn' in a.target ? a.target.arn : `${a.target.bucket}/${a.target.key}`}`,
      () => restoreTags(run, a, previous),
    );
  }

  await run
    .journal(
      errors.length
        ? { type: 'rollback-failed', message: errors.join('; ') }
        : { type: 'rollback-done' },
    )
    .catch(() => undefined);
  run.emit(
    errors.length ? 'rollback-failed' : 'rollback-done',
    errors.length ? errors.join('; ') : 'rolled back to the backup',
  );
  return errors;
}

/** Cluster-scoped definitions first (namespaces, CRDs), then the rest. */
function rank(o: KubeObject): number {
  if (o.kind === 'Namespace') return 0;
  if (o.kind === 'CustomResourceDefinition') return 1;
  return isClusterScoped(o.kind) ? 2 : 3;
}

async function deleteAddon(run: Run, addonName: string): Promise<void> {
  const { eks } = run.deps;
  const cluster = run.plan.cluster.name;
  const w = run.deps.wait ?? {};
  const pollMs = w.pollMs ?? 5_000;
  const deadline = run.now().getTime() + (w.timeoutMs ?? 20 * 60_000);
  for (;;) {
    const a = await run.call(`DescribeAddon ${addonName}`, () =>
      eks.describeAddon(cluster, addonName),
    );
    if (!a) return;
    if (a.status !== 'DELETING' && a.status !== 'CREATING' && a.status !== 'UPDATING') {
      try {
        await run.call(`DeleteAddon ${addonName}`, () =>
          eks.deleteAddon(cluster, addonName, { preserve: true }),
        );
      } catch (e) {
        if (!(e instanceof GatewayError && (e.kind === 'NotFound' || e.kind === 'InUse'))) throw e;
      }
    }
    if (run.now().getTime() > deadline)
      throw new Error(`add-on ${addonName} was not deleted in time (status ${a.status})`);
    run.emit('waiting', `waiting for ${addonName} to be deleted (${a.status})`);
    await run.sleep(pollMs);
  }
}

/** Server-assigned fields a restore must not send. */
function strip(o: KubeObject): KubeObject {
  const copy = JSON.parse(JSON.stringify(o)) as KubeObject;
  const m = copy.metadata;
  delete m.uid;
  delete m.resourceVersion;
  delete m['creationTimestamp'];
  delete m['managedFields'];
  delete m['generation'];
  delete m['selfLink'];
  return copy;
}

function comparable(o: KubeObject): string {
  const c = strip(o);
  delete c['status'];
  return JSON.stringify(sortKeys(c));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  return v;
}

async function restoreObject(run: Run, saved: KubeObject): Promise<void> {
  const { kube } = run.deps;
  const ref = refOf(saved);
  for (let attempt = 0; attempt < 5; attempt++) {
    const live = await run.call(`get ${describeRef(ref)}`, () => kube.get(ref));
    try {
      if (!live) {
        await run.call(`create ${describeRef(ref)}`, () => kube.create(strip(saved)));
      } else if (comparable(live) !== comparable(saved)) {
        await run.call(`replace ${describeRef(ref)}`, () =>
          kube.replace({
            ...strip(saved),
            metadata: { ...strip(saved).metadata, resourceVersion: live.metadata.resourceVersion },
          }),
        );
      }
      return;
    } catch (e) {
      // Someone (a controller, a retried call) changed it in between: read again.
      if (e instanceof GatewayError && (e.kind === 'Conflict' || e.kind === 'NotFound')) continue;
      throw e;
    }
  }
  throw new Error(`${describeRef(ref)} kept changing while it was restored`);
}

async function restoreTags(
  run: Run,
  a: TagAction,
  previous: Record<string, string>,
): Promise<void> {
  const t = a.target;
  if (t.type === 's3-object') {
    const s3 = need(run.deps.s3, 's3');
    if (Object.keys(previous).length === 0)
      await run.call(`DeleteObjectTagging ${t.key}`, () => s3.deleteObjectTagging(t.bucket, t.key));
    else
      await run.call(`PutObjectTagging ${t.key}`, () =>
        s3.putObjectTagging(t.bucket, t.key, previous),
      );
    return;
  }
  const current = await readTags(run, a);
  const remove = Object.keys(current).filter((k) => !(k in previous));
  const put = Object.fromEntries(Object.entries(previous).filter(([k, v]) => current[k] !== v));
  if (t.type === 'load-balancer') {
    const elb = need(run.deps.elbv2, 'elbv2');
    if (remove.length) await run.call(`RemoveTags ${t.arn}`, () => elb.removeTags([t.arn], remove));
    if (Object.keys(put).length)
      await run.call(`AddTags ${t.arn}`, () => elb.addTags([t.arn], put));
  } else {
    const acm = need(run.deps.acm, 'acm');
    if (remove.length)
      await run.call(`RemoveTagsFromCertificate ${t.arn}`, () => acm.removeTags(t.arn, remove));
    if (Object.keys(put).length)
      await run.call(`AddTagsToCertificate ${t.arn}`, () => acm.addTags(t.arn, put));
  }
}

/**
 * `--dry-run=server`: every Kubernetes change of the plan sent with `dryRun=All` (admission,
 * validation and RBAC run; nothing is stored). AWS has no dry run for these calls: what could be
 * checked there (versions, schemas, roles, bucket, access reviews) was read when planning.
 * Returns one line per refusal; empty = the API servers accept the plan.
 */
export async function dryRunOnServer(plan: MigrationPlan, g: MigrationGateways): Promise<string[]> {
  const problems: string[] = [];
  const check = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await withRetry(fn, DEFAULT_RETRY);
    } catch (e) {
      problems.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  for (const { action } of planActions(plan)) {
    if (action.kind === 'kube.scale')
      await check(action.summary, () =>
        g.kube.patch(action.ref, { spec: { replicas: action.after } }, { dryRun: true }),
      );
    if (action.kind === 'kube.delete')
      await check(action.summary, () => g.kube.delete(action.ref, { dryRun: true }));
    if (action.kind === 'helm.markMigrated') {
      const ref: KubeRef = {
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: action.namespace,
        name: `sh.helm.release.v1.${action.release}.v${action.revision}`,
      };
      await check(action.summary, async () => {
        const secret = await g.kube.get(ref);
        if (!secret) throw new Error('the release secret is gone');
        await g.kube.replace(secret, { dryRun: true });
      });
    }
  }
  return problems;
}
