/**
 * The fleet as the portal sees it: the configured and discovered clusters, their last scan
 * reports (kept in the database, so every replica serves what any replica scanned), and the fleet
 * summary, cached so the fleet page costs one memory read per request.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  clusterEntityRefs,
  CachingAddonCatalog,
  fleetSummary,
  Pacer,
  portalClusterId,
  scanClusters,
  type ClusterReport,
  type ClusterTarget,
  type FleetSummary,
  type PortalCluster,
} from '@hyperpod/core';
import { explainRefusals } from '@hyperpod/core-node';
import type { Knex } from 'knex';
import type { HyperpodConfig } from './config';
import { CachePacingStore } from './CachePacingStore';
import { configuredFleetTargets } from './configuredFleetTargets';
import type { FleetGateways } from './FleetGateways';

/** The whole-fleet summary as sent: serialised and gzipped once per cache period, with its ETag. */
export interface SummaryWire {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

export interface FleetEntry {
  cluster: PortalCluster;
  target: ClusterTarget;
}

const REPORTS = 'hyperpod_cluster_reports';
const SUMMARY_KEY = 'fleet-summary:v1';
/** How long a replica trusts its in-memory summary before reading the shared cache again. */
const MEMO_MS = 2_000;

function partition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function portalCluster(t: ClusterTarget): PortalCluster {
  const arn =
    t.arn ??
    (t.accountId && t.region
      ? `arn:${partition(t.region)}:eks:${t.region}:${t.accountId}:cluster/${t.name}`
      : undefined);
  const owner = t.labels?.['owner'];
  return {
    id: portalClusterId({ name: t.name, ...(arn ? { arn } : {}), region: t.region }),
    name: t.name,
    ...(arn ? { arn } : {}),
    ...(t.accountId ? { accountId: t.accountId } : {}),
    ...(t.region ? { region: t.region } : {}),
    ...(owner ? { owner } : {}),
  };
}

/** Entries for `targets`, each cluster with the catalog entity the entity provider gives it. */
function withEntityRefs(targets: ClusterTarget[]): FleetEntry[] {
  const clusters = targets.map(portalCluster);
  const refs = clusterEntityRefs(clusters);
  return targets.map((target, i) => ({
    cluster: { ...clusters[i]!, entityRef: refs.get(clusters[i]!.id)! },
    target,
  }));
}

export class FleetService {
  private entries: FleetEntry[] | undefined;
  private memo: { at: number; summary: FleetSummary; wire?: SummaryWire } | undefined;
  private readonly catalog = new CachingAddonCatalog();
  /**
   * One pacer per replica for every scan it runs (scheduled or on demand): the rate of each
   * account and region is learned from throttling answers and shared with the other replicas
   * through the cache, which split it between those scanning at the same time.
   */
  private readonly pacer: Pacer;

  constructor(
    private readonly deps: {
      config: HyperpodConfig;
      db: Knex;
      gateways: FleetGateways;
      cache: CacheService;
      logger: LoggerService;
      /** Open upgrade requests per cluster id, for the summary. */
      openRequests: () => Promise<Map<string, number>>;
      now?: () => Date;
    },
  ) {
    const { rateLimit } = deps.config.scan;
    this.pacer = rateLimit
      ? new Pacer({ fixedRate: rateLimit })
      : new Pacer({
          store: new CachePacingStore(deps.cache),
          onStoreError: (e) =>
            deps.logger.warn(
              `scan pacing: the shared cache failed, pacing on what this replica knows (${e instanceof Error ? e.message : String(e)})`,
            ),
        });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Configured clusters at once; discovered ones after the first scan (or `refreshTargets`). */
  async list(): Promise<FleetEntry[]> {
    if (!this.entries) {
      this.entries = this.deps.config.discover.length
        ? await this.refreshTargets()
        : withEntityRefs(this.deps.config.clusters);
    }
    return this.entries;
  }

  async refreshTargets(): Promise<FleetEntry[]> {
    const { config, gateways, logger } = this.deps;
    const targets = await configuredFleetTargets(config, gateways, (m) => logger.warn(m));
    this.entries = withEntityRefs(targets);
    return this.entries;
  }

  /**
   * A cluster by its id, its ARN or its name (when no other cluster has that name). Unknown →
   * NotFoundError; a name several clusters share → ConflictError listing their ids.
   */
  async find(ref: string): Promise<FleetEntry> {
    const all = await this.list();
    const exact = all.find((e) => e.cluster.id === ref || e.cluster.arn === ref);
    if (exact) return exact;
    const named = all.filter((e) => e.cluster.name === ref);
    if (named.length === 1) return named[0]!;
    if (named.length > 1) {
      throw new ConflictError(
        `cluster name ${ref} is ambiguous: use one of ${named.map((e) => e.cluster.id).join(', ')}`,
      );
    }
    throw new NotFoundError(
      `no cluster ${ref} in the fleet (hyperpod.fleet in app-config; GET /api/hyperpod/fleet lists them)`,
    );
  }

  async report(clusterId: string): Promise<ClusterReport | undefined> {
    const row = await this.deps.db(REPORTS).where({ cluster_id: clusterId }).first('report_json');
    return row ? (JSON.parse(row.report_json as string) as ClusterReport) : undefined;
  }

  /** Scans `entries` (default: the whole fleet) and stores each report as it arrives. */
  async scan(entries?: FleetEntry[]): Promise<number> {
    const { config, gateways, logger } = this.deps;
    const list =
      entries ??
      (this.deps.config.discover.length ? await this.refreshTargets() : await this.list());
    const entryOf = (r: ClusterReport): FleetEntry | undefined => {
      const same = list.filter(
        (e) => e.target.name === r.cluster.name && e.target.region === r.cluster.region,
      );
      if (same.length <= 1) return same[0];
      return same.find(
        (e) =>
          (r.cluster.accountId !== undefined && e.target.accountId === r.cluster.accountId) ||
          (r.cluster.context !== undefined && e.target.context === r.cluster.context),
      );
    };
    let n = 0;
    const scan = scanClusters(
      list.map((e) => e.target),
      {
        eks: (target) => gateways.scanEks(target),
        kube: (target) =>
          gateways.kube(target).catch((err: unknown) => {
            logger.warn(
              `cluster ${target.name}: no in-cluster reads (${err instanceof Error ? err.message : String(err)})`,
            );
            return undefined;
          }),
        pacer: this.pacer,
        catalog: this.catalog,
      },
      { concurrency: config.scan.concurrency, timeoutMs: config.scan.timeoutMs },
    );
    try {
      for await (const report of scan) {
        const entry = entryOf(report);
        if (!entry) continue;
        await this.save(entry.cluster.id, explainRefusals(report));
        n++;
      }
    } finally {
      // What this scan learned, for the other replicas and the next scan; leaves the scopes.
      await this.pacer.close();
    }
    await this.invalidate();
    logger.info(`fleet scan: ${n} of ${list.length} clusters reported`);
    return n;
  }

  /**
   * Rescans one cluster after an action changed it (an upgrade or a migration ended), so the
   * report, the add-on list and the fleet page show the new state. Never throws: a failed rescan
   * is logged and the next scheduled scan catches up.
   */
  async rescan(clusterId: string): Promise<void> {
    try {
      const entry = await this.find(clusterId);
      await this.scan([entry]);
    } catch (e) {
      this.deps.logger.warn(
        `rescan of ${clusterId} after an action failed: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  private async save(clusterId: string, report: ClusterReport): Promise<void> {
    const row = {
      cluster_id: clusterId,
      report_json: JSON.stringify(report),
      scanned_at: report.scannedAt,
    };
    await this.deps.db(REPORTS).insert(row).onConflict('cluster_id').merge();
  }

  /** Drops the cached summary (after a scan or a request changed its counts). */
  async invalidate(): Promise<void> {
    this.memo = undefined;
    await this.deps.cache.delete(SUMMARY_KEY);
  }

  /** The whole fleet's summary ready to send (most callers may read every cluster). */
  async summaryWire(): Promise<SummaryWire> {
    const summary = await this.summary();
    const memo = this.memo!;
    if (memo.summary === summary && memo.wire) return memo.wire;
    const json = Buffer.from(JSON.stringify(summary));
    const wire = {
      json,
      gzip: gzipSync(json),
      etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`,
    };
    if (this.memo?.summary === summary) this.memo.wire = wire;
    return wire;
  }

  /** The whole fleet's summary: from memory, else the shared cache, else built from the database. */
  async summary(): Promise<FleetSummary> {
    const now = this.now().getTime();
    if (this.memo && now - this.memo.at < MEMO_MS) return this.memo.summary;
    let summary = (await this.deps.cache.get(SUMMARY_KEY)) as FleetSummary | undefined;
    if (!summary) {
      const entries = await this.list();
      const rows = (await this.deps.db(REPORTS).select('cluster_id', 'report_json')) as {
        cluster_id: string;
        report_json: string;
      }[];
      const reports = new Map(rows.map((r) => [r.cluster_id, r.report_json]));
      const open = await this.deps.openRequests();
      summary = fleetSummary(
        entries.map((e) => {
          const json = reports.get(e.cluster.id);
          return {
            cluster: e.cluster,
            ...(json ? { report: JSON.parse(json) as ClusterReport } : {}),
            openRequests: open.get(e.cluster.id) ?? 0,
          };
        }),
        this.now(),
      );
      await this.deps.cache.set(SUMMARY_KEY, summary as never, { ttl: 60_000 });
    }
    this.memo = { at: now, summary };
    return summary;
  }
}
