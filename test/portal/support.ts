/**
 * The portal backend on the sandbox, in process: `startTestBackend` with the hyperpod plugin, the
 * permission backend and the demo policy (the real permission round trip), users whose groups
 * come from a userInfo service, AWS profiles pointing at the sandbox, and a kubeconfig with a
 * context per cluster. Tests talk to it over HTTP with Backstage mock user tokens.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
  type SchedulerService,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import permissionBackend from '@backstage/plugin-permission-backend';
import type { HelmValues } from '@hyperpod/core';
import hyperpodBackend from '@hyperpod/plugin-hyperpod-backend';
import {
  inferenceOperatorReleaseSeed,
  Sandbox,
  seedHelmInferenceCluster,
  type InferenceOperatorRevision,
  type SandboxCluster,
} from '@hyperpod/sandbox';
import type { Knex } from 'knex';
import { writeAwsProfileFiles } from '../support/awsProfileFiles';
import { hyperpodDemoPolicyModule, authWithActorFactory } from '@hyperpod/backend/testing';

export const TEAM_A = 'group:default/team-a';
export const APPROVERS = 'group:default/platform-approvers';

/** team-a: owns the `owned` cluster. */
export const ALICE = 'user:default/alice';
/** An approver. */
export const BOB = 'user:default/bob';
/** Owns nothing, approves nothing. */
export const CAROL = 'user:default/carol';
/** team-a and an approver. */
export const DAVE = 'user:default/dave';

/** The demo users: who owns what, who approves. */
export const USERS: Record<string, string[]> = {
  [ALICE]: [TEAM_A],
  [BOB]: [APPROVERS],
  [CAROL]: [],
  [DAVE]: [TEAM_A, APPROVERS],
};

export const VPC_CNI = 'vpc-cni';
export const FROM = 'v1.18.6-eksbuild.1';
export const LATEST = 'v1.20.0-eksbuild.1';
export const CNI_CONFIG = JSON.stringify({ env: { WARM_IP_TARGET: '5' } });

export interface PortalSandbox {
  sb: Sandbox;
  dir: string;
  kubeconfig: string;
  /** Clusters: `owned` belongs to team-a, `other` to nobody in USERS. */
  owned: SandboxCluster;
  other: SandboxCluster;
  restoreEnv: () => void;
}

/** A sandbox with two 1.31 clusters running vpc-cni v1.18.6, and the AWS files for its accounts. */
export async function portalSandbox(prefix: string): Promise<PortalSandbox> {
  const sb = await Sandbox.start({ scenario: 'empty', addonTransitionMs: 50 });
  const owned = await sb.addCluster({
    account: 'prod',
    region: 'us-east-1',
    name: `${prefix}-a-use1`,
    version: '1.31',
  });
  const other = await sb.addCluster({
    account: 'prod',
    region: 'us-west-2',
    name: `${prefix}-b-usw2`,
    version: '1.31',
  });
  for (const c of [owned, other]) {
    sb.services.eks.seedAddon({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
      addonName: VPC_CNI,
      addonVersion: FROM,
      configurationValues: CNI_CONFIG,
      serviceAccountRoleArn: `arn:aws:iam::${c.accountId}:role/cni-${c.name}`,
    });
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'hyperpod-portal-'));
  const { credentials, config } = writeAwsProfileFiles(sb, dir);
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, sb.kubeconfig(), { mode: 0o600 });
  const saved = {
    AWS_SHARED_CREDENTIALS_FILE: process.env.AWS_SHARED_CREDENTIALS_FILE,
    AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE,
  };
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
  process.env.AWS_CONFIG_FILE = config;
  const restoreEnv = () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  return { sb, dir, kubeconfig, owned, other, restoreEnv };
}

/** The body of a request to upgrade the owned cluster's vpc-cni to the latest version. */
export function upgradeBody(p: PortalSandbox, reason: string) {
  return { cluster: p.owned.name, addonName: VPC_CNI, target: 'latest', reason };
}

/** The EKS gateway of the sandbox's prod account in us-east-1 (the owned cluster's), as a test reads EKS. */
export async function prodEks(p: PortalSandbox) {
  const { AwsClients } = await import('@hyperpod/core-node');
  return new AwsClients({ maxAttempts: 1 }).gateways({
    ...p.sb.sdkConfig('prod', 'us-east-1'),
    accountId: p.owned.accountId,
  }).eks;
}

export function profileOf(sb: Sandbox, c: SandboxCluster): string {
  return sb.accounts.find((a) => a.accountId === c.accountId)!.alias;
}

/** A cluster's entry in the app-config's fleet, owned by team-a. */
export function teamAFleetEntry(sb: Sandbox, c: SandboxCluster) {
  return {
    name: c.name,
    region: c.region,
    accountId: c.accountId,
    profile: profileOf(sb, c),
    context: c.context,
    owner: TEAM_A,
  };
}

/** The app-config the tests run with: both clusters, fast polling, the demo policy's approvers. */
export function portalConfig(p: PortalSandbox, overrides: Record<string, unknown> = {}) {
  const { sb, owned, other, kubeconfig } = p;
  return {
    permission: { enabled: true, hyperpodDemo: { approvers: [APPROVERS] } },
    hyperpod: {
      fleet: {
        clusters: [
          teamAFleetEntry(sb, owned),
          {
            name: other.name,
            region: other.region,
            accountId: other.accountId,
            profile: profileOf(sb, other),
            context: other.context,
            owner: 'group:default/team-b',
          },
        ],
      },
      kubeconfig,
      aws: { endpoint: sb.awsEndpoint, requestTimeoutMs: 10_000 },
      scan: { frequency: { hours: 1 }, timeoutMs: 30_000 },
      executor: {
        pollMs: 200,
        upgradePollMs: 20,
        staleAfterMs: 1_500,
        degradedGraceMs: 200,
        upgradeTimeoutMs: 20_000,
      },
      ...overrides,
    },
  };
}

/** userInfo with the groups of USERS (the mock default knows only the user itself). */
const userInfoFactory = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const principal = credentials.principal as { type: string; userEntityRef?: string };
      if (principal.type !== 'user' || !principal.userEntityRef) throw new Error('not a user');
      const ref = principal.userEntityRef;
      return { userEntityRef: ref, ownershipEntityRefs: [ref, ...(USERS[ref] ?? [])] };
    },
  }),
});

/** A JSON answer as tests read it (any shape: tests assert on it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ApiBody = any;

export interface AuditRecord {
  eventId: string;
  meta: Record<string, unknown>;
  outcome: 'pending' | 'success' | 'fail';
}

/** An auditor service that keeps its events, for asserting what was audited. */
export function capturingAuditor() {
  const events: AuditRecord[] = [];
  const factory = createServiceFactory({
    service: coreServices.auditor,
    deps: {},
    factory: () => ({
      async createEvent(o) {
        const e: AuditRecord = { eventId: o.eventId, meta: { ...o.meta }, outcome: 'pending' };
        events.push(e);
        return {
          async success(x) {
            e.outcome = 'success';
            Object.assign(e.meta, x?.meta);
          },
          async fail(x) {
            e.outcome = 'fail';
            Object.assign(e.meta, x.meta, { error: x.error.message });
          },
        };
      },
    }),
  });
  return { events, factory };
}

export interface Portal {
  url: string;
  scheduler: SchedulerService;
  stop: () => Promise<void>;
  /** fetch as `user` (a mock user token), JSON in and out. */
  call: (
    user: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => Promise<{ status: number; body: ApiBody; headers: Headers }>;
}

export async function startPortal(opts: {
  config: Record<string, unknown>;
  knex: Knex;
  extra?: BackendFeature[];
  /** A permission policy module in place of the demo policy. */
  policy?: BackendFeature;
}): Promise<Portal> {
  // The mock scheduler instance installs itself as a factory (untyped in test-utils' .d.ts), so
  // tests can trigger the executor's task on this backend.
  const scheduler = mockServices.scheduler() as SchedulerService & {
    factory(): ServiceFactory<SchedulerService, 'plugin', 'singleton'>;
  };
  const backend = await startTestBackend({
    features: [
      mockServices.rootConfig.factory({ data: opts.config as JsonObject }),
      mockServices.database.factory({ knex: opts.knex, migrations: { skip: false } }),
      scheduler.factory(),
      userInfoFactory,
      authWithActorFactory,
      permissionBackend,
      opts.policy ?? hyperpodDemoPolicyModule,
      hyperpodBackend,
      ...(opts.extra ?? []),
    ],
  });
  const address = backend.server.address() as { port: number };
  const url = `http://127.0.0.1:${address.port}/api/hyperpod`;
  return {
    url,
    scheduler,
    stop: () => backend.stop(),
    call: async (user, method, p, body, headers = {}) => {
      const res = await fetch(`${url}${p}`, {
        method,
        headers: {
          ...(user ? { authorization: mockCredentials.user.header(user) } : {}),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
}

/** Polls until `ok(value)` or the time runs out (then the last value is returned for the assertion). */
export async function eventually<T>(
  fn: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() - start > timeoutMs) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Adds a 1.31 cluster running the inference operator from Helm (kube-system; by default one
 * revision, chart 2.2.2 deployed) to the portal sandbox, rewrites its kubeconfig with the new
 * context, and returns the cluster and the app-config with it in the fleet, owned by team-a: the
 * subject of portal migrations.
 */
export async function addHelmInferenceCluster(
  p: PortalSandbox,
  name: string,
  revisions: (values: HelmValues) => InferenceOperatorRevision[] = (values) => [
    { status: 'deployed', chartVersion: '2.2.2', values, description: 'Install complete' },
  ],
): Promise<{ cluster: SandboxCluster; config: ReturnType<typeof portalConfig> }> {
  await seedHelmInferenceCluster(
    p.sb,
    { account: 'prod', region: 'us-east-1', name, version: '1.31' },
    (values) => inferenceOperatorReleaseSeed({ revisions: revisions(values) }),
  );
  writeFileSync(p.kubeconfig, p.sb.kubeconfig(), { mode: 0o600 });
  const cluster = p.sb.cluster(name);
  const config = portalConfig(p);
  config.hyperpod.fleet.clusters.push(teamAFleetEntry(p.sb, cluster));
  return { cluster, config };
}
