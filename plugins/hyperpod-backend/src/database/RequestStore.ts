/**
 * Upgrade requests in the plugin's database: every state change is a conditional UPDATE (the row
 * must still be in the state the caller saw) plus a transition row with who and when, in one
 * transaction. The executor's claim is the same conditional UPDATE, so with several replicas on
 * one database exactly one wins a request.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import type { Knex } from 'knex';
import { OPEN_REQUEST_STATES } from '@hyperpod/core';
import type {
  CapturedAddon,
  PortalCluster,
  RequestTransition,
  UpgradeRequest,
  UpgradeRequestOutcome,
  UpgradeRequestState,
} from '@hyperpod/core';

interface RequestRow {
  id: string;
  cluster_id: string;
  cluster_json: string;
  addon_name: string;
  target: string;
  target_version: string;
  from_version: string;
  reason: string;
  state: UpgradeRequestState;
  requested_by: string;
  decided_by: string | null;
  created_at: string;
  updated_at: string;
  attempts: number;
  claimed_by: string | null;
  heartbeat_at: number | string | null;
  captured_json: string | null;
  outcome_json: string | null;
}

interface TransitionRow {
  request_id: string;
  at: string;
  actor: string;
  from_state: UpgradeRequestState | null;
  to_state: UpgradeRequestState;
  note: string | null;
}

/** What a new request is made of: the contract's fields that are set when it is asked for. */
export type NewRequest = Pick<
  UpgradeRequest,
  'cluster' | 'addonName' | 'target' | 'targetVersion' | 'fromVersion' | 'reason' | 'requestedBy'
>;

export interface RequestFilter {
  clusterId?: string;
  addonName?: string;
  state?: UpgradeRequestState[];
  requestedBy?: string;
  limit?: number;
}

/** A running request as the executor sees it. */
export interface RunningRequest {
  request: UpgradeRequest;
  claimedBy: string | null;
  heartbeatAt: number | null;
  captured?: CapturedAddon;
}

const REQUESTS = 'hyperpod_upgrade_requests';
const TRANSITIONS = 'hyperpod_request_transitions';

export class RequestStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * A new request in `requested`. ConflictError when the add-on already has an open request: the
   * database's partial unique index decides, so of parallel creates exactly one wins.
   */
  async create(input: NewRequest): Promise<UpgradeRequest> {
    const id = randomUUID();
    const at = this.now().toISOString();
    try {
      await this.insert(id, at, input);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const [open] = await this.list({
        clusterId: input.cluster.id,
        addonName: input.addonName,
        state: [...OPEN_REQUEST_STATES],
        limit: 1,
      });
      throw new ConflictError(
        `${input.addonName} on ${input.cluster.name} already has an open request${open ? ` ${open.id} (${open.state})` : ''}; cancel it or wait for it`,
      );
    }
    return (await this.get(id))!;
  }

  private async insert(id: string, at: string, input: NewRequest): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx<RequestRow>(REQUESTS).insert({
        id,
        cluster_id: input.cluster.id,
        cluster_json: JSON.stringify(input.cluster),
        addon_name: input.addonName,
        target: input.target,
        target_version: input.targetVersion,
        from_version: input.fromVersion,
        reason: input.reason,
        state: 'requested',
        requested_by: input.requestedBy,
        decided_by: null,
        created_at: at,
        updated_at: at,
        attempts: 0,
      });
      await tx<TransitionRow>(TRANSITIONS).insert({
        request_id: id,
        at,
        actor: input.requestedBy,
        from_state: null,
        to_state: 'requested',
        note: input.reason,
      });
    });
  }

  async get(id: string): Promise<UpgradeRequest | undefined> {
    const row = await this.db<RequestRow>(REQUESTS).where({ id }).first();
    if (!row) return undefined;
    const [request] = await this.withHistory([row]);
    return request;
  }

  async list(filter: RequestFilter = {}): Promise<UpgradeRequest[]> {
    let q = this.db<RequestRow>(REQUESTS);
    if (filter.clusterId) q = q.where('cluster_id', filter.clusterId);
    if (filter.addonName) q = q.where('addon_name', filter.addonName);
    if (filter.requestedBy) q = q.where('requested_by', filter.requestedBy);
    if (filter.state?.length) q = q.whereIn('state', filter.state);
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(filter.limit ?? 500);
    return this.withHistory(rows);
  }

  /** Open (requested, approved, running, needs-attention) requests per cluster id. */
  async openCounts(): Promise<Map<string, number>> {
    const rows = (await this.db(REQUESTS)
      .select('cluster_id')
      .count({ n: '*' })
      .whereIn('state', [...OPEN_REQUEST_STATES])
      .groupBy('cluster_id')) as { cluster_id: string; n: number | string }[];
    return new Map(rows.map((r) => [r.cluster_id, Number(r.n)]));
  }

  /**
   * Moves a request from one of `from` to `to` and records who did it. False when the request is
   * no longer in one of `from` (someone else moved it first): nothing is changed then.
   */
  async transition(
    id: string,
    from: readonly UpgradeRequestState[],
    to: UpgradeRequestState,
    actor: string,
    opts: {
      note?: string;
      decidedBy?: string;
      outcome?: UpgradeRequestOutcome;
      /** Only when this instance holds the claim. */
      claimedBy?: string;
      /** Set (string) or clear (null) the claim. */
      claim?: { by: string | null; heartbeatAt: number | null; attempt?: boolean };
    } = {},
  ): Promise<boolean> {
    const at = this.now().toISOString();
    return this.db.transaction(async (tx) => {
      const current = await tx<RequestRow>(REQUESTS).where({ id }).first('state');
      if (!current || !from.includes(current.state)) return false;
      let q = tx<RequestRow>(REQUESTS).where({ id, state: current.state });
      if (opts.claimedBy !== undefined) q = q.where('claimed_by', opts.claimedBy);
      const changed = await q.update({
        state: to,
        updated_at: at,
        ...(opts.decidedBy ? { decided_by: opts.decidedBy } : {}),
        ...(opts.outcome ? { outcome_json: JSON.stringify(opts.outcome) } : {}),
        ...(opts.claim ? { claimed_by: opts.claim.by, heartbeat_at: opts.claim.heartbeatAt } : {}),
        ...(opts.claim?.attempt ? { attempts: tx.raw('attempts + 1') as unknown as number } : {}),
      });
      if (changed !== 1) return false;
      await tx<TransitionRow>(TRANSITIONS).insert({
        request_id: id,
        at,
        actor,
        from_state: current.state,
        to_state: to,
        note: opts.note ?? null,
      });
      return true;
    });
  }

  /** Ids of approved requests, oldest first. */
  async approvedIds(): Promise<string[]> {
    const rows = await this.db<RequestRow>(REQUESTS)
      .select('id')
      .where('state', 'approved')
      .orderBy('updated_at');
    return rows.map((r) => r.id);
  }

  /** Running requests whose executor last reported before `before` (epoch ms). */
  async staleRunning(before: number): Promise<RunningRequest[]> {
    const rows = await this.db<RequestRow>(REQUESTS)
      .where('state', 'running')
      .andWhere((w) => w.whereNull('heartbeat_at').orWhere('heartbeat_at', '<', before));
    const requests = await this.withHistory(rows);
    return rows.map((r, i) => ({
      request: requests[i]!,
      claimedBy: r.claimed_by,
      heartbeatAt: r.heartbeat_at === null ? null : Number(r.heartbeat_at),
      ...(r.captured_json ? { captured: JSON.parse(r.captured_json) as CapturedAddon } : {}),
    }));
  }

  /**
   * Takes over a stale running request: succeeds for one caller only (the heartbeat it saw must
   * still be the row's).
   */
  async takeOver(
    id: string,
    sawHeartbeat: number | null,
    by: string,
    at: number,
  ): Promise<boolean> {
    let q = this.db<RequestRow>(REQUESTS).where({ id, state: 'running' });
    q = sawHeartbeat === null ? q.whereNull('heartbeat_at') : q.where('heartbeat_at', sawHeartbeat);
    return (await q.update({ claimed_by: by, heartbeat_at: at })) === 1;
  }

  /** Renews the claim; false when another instance took the request over. */
  async heartbeat(id: string, by: string, at: number): Promise<boolean> {
    return (
      (await this.db<RequestRow>(REQUESTS)
        .where({ id, claimed_by: by, state: 'running' })
        .update({ heartbeat_at: at })) === 1
    );
  }

  async setCaptured(id: string, by: string, captured: CapturedAddon): Promise<void> {
    await this.db<RequestRow>(REQUESTS)
      .where({ id, claimed_by: by })
      .update({ captured_json: JSON.stringify(captured) });
  }

  private async withHistory(rows: RequestRow[]): Promise<UpgradeRequest[]> {
    if (rows.length === 0) return [];
    const transitions = await this.db<TransitionRow>(TRANSITIONS)
      .whereIn(
        'request_id',
        rows.map((r) => r.id),
      )
      .orderBy('seq');
    const byId = new Map<string, RequestTransition[]>();
    for (const t of transitions) {
      const list = byId.get(t.request_id) ?? [];
      list.push({
        at: t.at,
        actor: t.actor,
        ...(t.from_state ? { from: t.from_state } : {}),
        to: t.to_state,
        ...(t.note ? { note: t.note } : {}),
      });
      byId.set(t.request_id, list);
    }
    return rows.map((r) => ({
      id: r.id,
      cluster: JSON.parse(r.cluster_json) as PortalCluster,
      addonName: r.addon_name,
      target: r.target,
      targetVersion: r.target_version,
      fromVersion: r.from_version,
      reason: r.reason,
      state: r.state,
      requestedBy: r.requested_by,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      ...(r.decided_by ? { decidedBy: r.decided_by } : {}),
      attempts: Number(r.attempts),
      ...(r.outcome_json ? { outcome: JSON.parse(r.outcome_json) as UpgradeRequestOutcome } : {}),
      history: byId.get(r.id) ?? [],
    }));
  }
}

/** A UNIQUE constraint refused the row (better-sqlite3 and pg say it differently). */
function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err.code === '23505' ||
    err.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(err.message ?? '')
  );
}
