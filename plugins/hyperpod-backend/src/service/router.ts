/**
 * The plugin's REST API (the contract is in @hyperpod/core's portal/contract.ts). Handlers only
 * wire: validate the input (zod, 400), authenticate (401), ask the permission framework (403),
 * then call the fleet, the request store or the executor. Bodies are capped at 64 KiB (413);
 * nothing returned carries configuration values or Helm values unredacted.
 */
import type {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  addonVersionsOffered,
  decideRequest,
  fleetTotals,
  hyperpodClusterReadPermission,
  hyperpodUpgradeApprovePermission,
  hyperpodUpgradeRequestPermission,
  newRequestVerdict,
  openRequestConflict,
  OPEN_REQUEST_STATES,
  prepareUpgrade,
  AddonNotInstalledError,
  GatewayError,
  type AddonVersionsResponse,
  type ClusterDetail,
  type FleetSummary,
  type NewRequestRefused,
  type RequestDecision,
  type UpgradeRequest,
} from '@hyperpod/core';
import { refusalLine } from '@hyperpod/core-node';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import Router from 'express-promise-router';
import type { HyperpodConfig } from './config';
import type { FleetGateways } from './FleetGateways';
import type { FleetService } from './FleetService';
import type { ClusterAccess } from './permissions';
import type { UpgradeExecutor } from './UpgradeExecutor';
import type { RequestStore } from '../database/RequestStore';
import type { KnexMigrationStore } from '../database/KnexMigrationStore';
import { addMigrationRoutes } from './migrationRoutes';
import { RefreshThrottle, sendTooManyRequests } from './RefreshThrottle';
import { fingerprint, type IdempotencyStore } from '../database/IdempotencyStore';
import {
  addonName,
  clusterRef,
  createRequestBody,
  decideBody,
  idempotencyKey,
  listRequestsQuery,
  parse,
  requestId,
} from './validation';

export interface RouterDeps {
  config: HyperpodConfig;
  auditor: AuditorService;
  httpAuth: HttpAuthService;
  logger: LoggerService;
  access: ClusterAccess;
  fleet: FleetService;
  gateways: FleetGateways;
  requests: RequestStore;
  idempotency: IdempotencyStore;
  executor: UpgradeExecutor;
  migrations: KnexMigrationStore;
}

export const BODY_LIMIT = '64kb';

export async function createRouter(deps: RouterDeps): Promise<express.Router> {
  const { httpAuth, access, fleet, requests, idempotency, executor, config, gateways, auditor } =
    deps;

  /** An audit event around a change: who asked for what, and whether it happened. */
  const audited = async <T extends { status: number; body: unknown }>(
    req: Request,
    action: string,
    meta: Record<string, string>,
    run: () => Promise<T>,
  ): Promise<T> => {
    const event = await auditor.createEvent({
      eventId: 'upgrade-request',
      severityLevel: action === 'approve' ? 'high' : 'medium',
      request: req,
      meta: { action, ...meta },
    });
    try {
      const result = await run();
      const body = result.body as Partial<UpgradeRequest> | undefined;
      await event.success({
        meta: {
          ...(body?.id ? { requestId: body.id } : {}),
          ...(body?.state ? { state: body.state } : {}),
        },
      });
      return result;
    } catch (e) {
      await event.fail({ error: e instanceof Error ? e : new Error(String(e)) });
      throw e;
    }
  };
  const router = Router();
  router.use(express.json({ limit: BODY_LIMIT }));
  const throttle = new RefreshThrottle(config.refresh);

  const reader = (req: Request) => httpAuth.credentials(req, { allow: ['user', 'service'] });
  const user = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    return { credentials, actor: credentials.principal.userEntityRef };
  };

  /**
   * POST bodies must be JSON; an empty body (no Content-Length, or 0, and no chunked body) is
   * `{}` whatever its Content-Type says. The JSON parser has set `req.body = {}` by then either
   * way, so only the headers tell an empty body from a non-JSON one.
   */
  const body = (req: Request): unknown => {
    const length = req.headers['content-length'];
    const empty =
      req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
    if (empty) return {};
    if (!req.is('application/json')) {
      throw new InputError('request body must be JSON (Content-Type: application/json)');
    }
    return req.body;
  };

  /**
   * Runs a POST once per (caller, Idempotency-Key): a retry with the same request gets the first
   * answer again; without the header it just runs.
   */
  const idempotent = async (
    req: Request,
    res: Response,
    actor: string,
    run: () => Promise<{ status: number; body: unknown }>,
  ): Promise<void> => {
    const header = req.header('Idempotency-Key');
    if (header === undefined) {
      const r = await run();
      res.status(r.status).json(r.body);
      return;
    }
    const key = parse(idempotencyKey, header, 'Idempotency-Key header');
    const begun = await idempotency.begin(
      actor,
      key,
      fingerprint(req.method, req.originalUrl, req.body),
    );
    if (begun.kind === 'mismatch') {
      throw new ConflictError(
        `Idempotency-Key ${key} was already used for a different request; use a new key`,
      );
    }
    if (begun.kind === 'in-progress') {
      throw new ConflictError(`a request with Idempotency-Key ${key} is still being processed`);
    }
    if (begun.kind === 'replay') {
      res.setHeader('Idempotent-Replayed', 'true');
      res.status(begun.status).json(begun.body);
      return;
    }
    try {
      const r = await run();
      await idempotency.complete(actor, key, r.status, r.body);
      res.status(r.status).json(r.body);
    } catch (e) {
      await idempotency.abandon(actor, key);
      throw e;
    }
  };

  const readable = async (credentials: BackstageCredentials, ref: string) => {
    const entry = await fleet.find(parse(clusterRef, ref, 'cluster'));
    if (!(await access.may(hyperpodClusterReadPermission, credentials, entry.cluster))) {
      // Like a missing cluster: whoever may not read it does not learn that it exists.
      throw new NotFoundError(`no cluster ${ref} in the fleet`);
    }
    return entry;
  };

  const visibleRequests = async (credentials: BackstageCredentials, list: UpgradeRequest[]) => {
    const allowed = new Set(
      (
        await access.allowed(hyperpodClusterReadPermission, credentials, [
          ...new Map(list.map((r) => [r.cluster.id, r.cluster])).values(),
        ])
      ).map((c) => c.id),
    );
    return list.filter((r) => allowed.has(r.cluster.id));
  };

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/fleet', async (req, res) => {
    const credentials = await reader(req);
    const summary = await fleet.summary();
    const allowed = await access.allowed(
      hyperpodClusterReadPermission,
      credentials,
      summary.clusters,
    );
    if (allowed.length < summary.clusters.length) {
      const body: FleetSummary = { ...summary, clusters: allowed, totals: fleetTotals(allowed) };
      res.json(body);
      return;
    }
    // Everything: the pre-built answer (serialised and gzipped once per cache period).
    const wire = await fleet.summaryWire();
    res.setHeader('ETag', wire.etag);
    res.setHeader('Vary', 'Accept-Encoding');
    res.setHeader('Cache-Control', 'private, no-cache');
    if (req.headers['if-none-match'] === wire.etag) {
      res.status(304).end();
      return;
    }
    res.type('application/json');
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      res.setHeader('Content-Encoding', 'gzip');
      res.end(wire.gzip);
    } else {
      res.end(wire.json);
    }
  });

  const callerOf = (credentials: BackstageCredentials): string => {
    const p = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
    return p.userEntityRef ?? `${p.type}:${p.subject ?? 'unknown'}`;
  };

  router.post('/fleet/refresh', async (req, res) => {
    const credentials = await reader(req);
    const refused = throttle.take(throttle.fleet(callerOf(credentials)));
    if (refused) {
      sendTooManyRequests(res, refused);
      return;
    }
    const entries = await access.allowed(
      hyperpodClusterReadPermission,
      credentials,
      (await fleet.list()).map((e) => ({ ...e.cluster, entry: e })),
    );
    const scanned = await fleet.scan(entries.map((e) => e.entry));
    res.status(202).json({ scanned });
  });

  router.get('/clusters/:cluster', async (req, res) => {
    const credentials = await reader(req);
    const entry = await readable(credentials, req.params.cluster!);
    const report = await fleet.report(entry.cluster.id);
    const k8s = report?.cluster.kubernetesVersion;
    const active = migrationRoutes.activeRun(entry.cluster.id);
    const detail: ClusterDetail = {
      cluster: { ...entry.cluster, ...(k8s ? { kubernetesVersion: k8s } : {}) },
      ...(report ? { report } : {}),
      requests: await requests.list({ clusterId: entry.cluster.id, limit: 100 }),
      migrations: await migrationRoutes.runsOf(entry.cluster.id, 20),
      ...(active ? { activeMigration: active } : {}),
    };
    res.json(detail);
  });

  router.post('/clusters/:cluster/refresh', async (req, res) => {
    const credentials = await reader(req);
    const entry = await readable(credentials, req.params.cluster!);
    const refused = throttle.take(
      throttle.cluster(callerOf(credentials), entry.cluster.id, entry.cluster.name),
    );
    if (refused) {
      sendTooManyRequests(res, refused);
      return;
    }
    await fleet.scan([entry]);
    res.json(await fleet.report(entry.cluster.id));
  });

  router.get('/clusters/:cluster/addons/:addon/versions', async (req, res) => {
    const credentials = await reader(req);
    const entry = await readable(credentials, req.params.cluster!);
    const name = parse(addonName, req.params.addon, 'add-on name');
    const eks = gateways.eks(entry.target);
    const cluster = await eks.describeCluster(entry.target.name);
    const [catalog] = await eks.describeAddonVersions({
      addonName: name,
      kubernetesVersion: cluster.version,
    });
    if (!catalog) throw new NotFoundError(`EKS has no add-on ${name}`);
    const installed = await eks.describeAddon(entry.target.name, name);
    const { versions, ...offered } = addonVersionsOffered(
      catalog,
      cluster.version,
      installed?.addonVersion,
    );
    const body: AddonVersionsResponse = {
      cluster: entry.cluster,
      addonName: name,
      ...offered,
      compatible: versions.map((r) => r.version),
    };
    res.json(body);
  });

  router.get('/requests', async (req, res) => {
    const credentials = await reader(req);
    const q = parse(listRequestsQuery, req.query, 'query');
    const clusterId = q.cluster ? (await readable(credentials, q.cluster)).cluster.id : undefined;
    const list = await requests.list({
      ...(clusterId ? { clusterId } : {}),
      ...(q.addon ? { addonName: q.addon } : {}),
      ...(q.state ? { state: q.state } : {}),
      ...(q.requestedBy ? { requestedBy: q.requestedBy } : {}),
      ...(q.limit ? { limit: q.limit } : {}),
    });
    res.json({ items: await visibleRequests(credentials, list) });
  });

  router.get('/requests/:id', async (req, res) => {
    const credentials = await reader(req);
    const id = parse(requestId, req.params.id, 'request id');
    const found = await requests.get(id);
    const [visible] = found ? await visibleRequests(credentials, [found]) : [];
    if (!visible) throw new NotFoundError(`no upgrade request ${id}`);
    res.json(visible);
  });

  router.post('/requests', async (req, res) => {
    const { credentials, actor } = await user(req);
    const input = parse(createRequestBody, body(req), 'upgrade request');
    const meta = { cluster: input.cluster, addon: input.addonName, target: input.target };
    await idempotent(req, res, actor, () =>
      audited(req, 'create', meta, async () => {
        const entry = await readable(credentials, input.cluster);
        if (!(await access.may(hyperpodUpgradeRequestPermission, credentials, entry.cluster))) {
          throw new NotAllowedError(
            `you may not request upgrades on ${entry.cluster.name} (permission hyperpod.upgrade.request)`,
          );
        }
        const open = await requests.list({
          clusterId: entry.cluster.id,
          addonName: input.addonName,
          state: [...OPEN_REQUEST_STATES],
        });
        const refuse = (v: NewRequestRefused): never => {
          if (v.refusal === 'refused') throw new InputError(v.message);
          throw new ConflictError(v.message);
        };
        const names = {
          clusterName: entry.cluster.name,
          addonName: input.addonName,
          target: input.target,
        };
        const conflict = openRequestConflict({ ...names, open });
        if (conflict) refuse(conflict);
        let plan;
        try {
          plan = await prepareUpgrade(gateways.eks(entry.target), {
            clusterName: entry.target.name,
            addonName: input.addonName,
            target: input.target,
          });
        } catch (e) {
          if (e instanceof AddonNotInstalledError) throw new InputError(e.message);
          if (e instanceof GatewayError && e.kind === 'NotFound') throw new InputError(e.message);
          throw e;
        }
        const verdict = newRequestVerdict({ ...names, open, plan });
        if (!verdict.ok) return refuse(verdict);
        const created = await requests.create({
          cluster: entry.cluster,
          addonName: input.addonName,
          target: input.target,
          targetVersion: verdict.to,
          fromVersion: verdict.from,
          reason: input.reason,
          requestedBy: actor,
        });
        await fleet.invalidate();
        return { status: 201, body: created };
      }),
    );
  });

  const decide = (decision: RequestDecision) =>
    router.post(`/requests/:id/${decision}`, async (req, res) => {
      const { credentials, actor } = await user(req);
      const id = parse(requestId, req.params.id, 'request id');
      const input = parse(decideBody, body(req), `${decision} body`);
      await idempotent(req, res, actor, () =>
        audited(req, decision, { requestId: id }, async () => {
          const found = await requests.get(id);
          const [visible] = found ? await visibleRequests(credentials, [found]) : [];
          if (!visible) throw new NotFoundError(`no upgrade request ${id}`);
          const mayApprove = await access.may(
            hyperpodUpgradeApprovePermission,
            credentials,
            visible.cluster,
          );
          const result = decideRequest(
            {
              state: visible.state,
              requestedBy: visible.requestedBy,
              actor,
              actorMayApprove: mayApprove,
              decision,
            },
            config.approval,
          );
          if (!result.ok) {
            if (result.refusal === 'not-allowed') throw new NotAllowedError(result.message);
            throw new ConflictError(result.message);
          }
          const moved = await requests.transition(id, [visible.state], result.to, actor, {
            ...(input.note ? { note: input.note } : {}),
            decidedBy: actor,
          });
          if (!moved) {
            const now = await requests.get(id);
            throw new ConflictError(
              `the request changed meanwhile: it is ${now?.state ?? 'gone'} now`,
            );
          }
          await fleet.invalidate();
          if (result.to === 'approved') void executor.tick();
          return { status: 200, body: await requests.get(id) };
        }),
      );
    });
  decide('approve');
  decide('reject');
  decide('cancel');

  const migrationRoutes = addMigrationRoutes(router, {
    ...deps,
    reader,
    user,
    body,
    readable,
    idempotent,
  });

  // Anything else under the API's own paths is a 404 with a message (not an empty answer).
  router.all(/^\/(fleet|clusters|requests)(\/|$)/, (req) => {
    throw new NotFoundError(`the hyperpod API has no ${req.method} ${req.path}`);
  });

  const bodyErrors: ErrorRequestHandler = (err, _req, res, next) => {
    const e = err as { type?: string; status?: number; message?: string };
    if (e.type === 'entity.too.large') {
      res.status(413).json({
        error: {
          name: 'PayloadTooLargeError',
          message: `request body is larger than ${BODY_LIMIT}`,
        },
        response: { statusCode: 413 },
      });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      next(new InputError(`request body is not valid JSON: ${e.message}`));
      return;
    }
    // An AWS or Kubernetes call the backend's own credentials were refused: one line naming the
    // missing permission and the shipped file that grants it (403, the message says whose).
    const refused = refusalLine(err);
    if (refused) {
      next(new NotAllowedError(`the portal backend's AWS or Kubernetes credentials: ${refused}`));
      return;
    }
    next(err);
  };
  router.use(bodyErrors);
  return router;
}
