/**
 * Amazon EKS as the sandbox emulates it (REST-JSON, botocore `eks/2017-11-01`): clusters (seeded),
 * and add-ons with their asynchronous life (CREATING → ACTIVE, UPDATING → ACTIVE / DEGRADED,
 * DELETING → gone). When an add-on becomes ACTIVE its workloads are server-side applied to the
 * cluster's Kubernetes API with field manager `eks`, with the conflict rules of resolveConflicts.
 */
import { createHash } from 'node:crypto';
import { ADDON_CATALOG } from '../../catalog/addonCatalog';
import { findAddon, findAddonVersion } from '../../catalog/findAddon';
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { AwsError, type AwsRequest, type AwsResponse, type AwsService } from '../types';
import { AddonLifecycle } from './AddonLifecycle';
import { applyWorkloads } from './applyWorkloads';
import {
  addonArn,
  addonKey,
  addonOf,
  clusterKey,
  type AddonFailure,
  type AddonSeed,
  type AddonState,
  type ClusterSeed,
  type ClusterState,
  type ClusterStatus,
} from './ClusterState';
import { addonInfoView, addonView, clusterView, fakeCaData, updateView } from './clusterView';
import { checkConfigurationValues } from './configurationValues';
import { matchEksRoute, type EksOperation } from './eksRoutes';
import { listPage } from './listPage';
import { invalidParam, optString, parseBody, sortKeys } from './parseBody';

export type {
  AddonFailure,
  AddonIssue,
  AddonSeed,
  AddonStatus,
  ClusterSeed,
  ClusterStatus,
  ResolveConflicts,
  UpdateRecord,
} from './ClusterState';

export class EksService implements AwsService, Snapshottable {
  readonly signingName = 'eks';
  readonly protocol = 'rest-json' as const;
  private readonly clusters = new Map<string, ClusterState>();
  private readonly addons: AddonLifecycle;

  constructor(private readonly ctx: ServiceContext) {
    this.addons = new AddonLifecycle(ctx);
  }

  // ---- seeding ---------------------------------------------------------------------------

  addCluster(seed: ClusterSeed): void {
    const key = clusterKey(seed.accountId, seed.region, seed.name);
    if (this.clusters.has(key))
      throw new Error(
        `eks: cluster ${seed.name} already exists in ${seed.accountId}/${seed.region}`,
      );
    const arn = `arn:aws:eks:${seed.region}:${seed.accountId}:cluster/${seed.name}`;
    const oidcId = createHash('sha256').update(arn).digest('hex').slice(0, 32).toUpperCase();
    this.clusters.set(key, {
      accountId: seed.accountId,
      region: seed.region,
      name: seed.name,
      arn,
      version: seed.version,
      endpoint: seed.endpoint,
      status: seed.status ?? 'ACTIVE',
      platformVersion: seed.platformVersion ?? 'eks.8',
      tags: { ...(seed.tags ?? {}) },
      createdAt: (seed.createdAt ?? new Date()).getTime(),
      roleArn: seed.roleArn ?? `arn:aws:iam::${seed.accountId}:role/eksClusterRole-${seed.name}`,
      caData: seed.certificateAuthorityData ?? fakeCaData(arn),
      oidcIssuer: `https://oidc.eks.${seed.region}.amazonaws.com/id/${oidcId}`,
      addons: new Map(),
      updates: [],
      tokens: new Map(),
    });
  }

  /** A seeded cluster's facts other services need (OIDC issuer for IAM trust policies, ARN, version). */
  describeClusterSeed(
    accountId: string,
    region: string,
    name: string,
  ): { arn: string; oidcIssuer: string; version: string; endpoint: string; status: ClusterStatus } {
    const c = this.mustCluster(accountId, region, name);
    return {
      arn: c.arn,
      oidcIssuer: c.oidcIssuer,
      version: c.version,
      endpoint: c.endpoint,
      status: c.status,
    };
  }

  /** Changes a cluster's Kubernetes version (an upgrade done outside the add-on API). */
  setClusterVersion(accountId: string, region: string, name: string, version: string): void {
    this.mustCluster(accountId, region, name).version = version;
  }

  /** Puts an add-on in place without the asynchronous life, for scenarios. */
  seedAddon(seed: AddonSeed): void {
    const c = this.mustCluster(seed.accountId, seed.region, seed.clusterName);
    const spec = findAddon(seed.addonName);
    if (!spec) throw new Error(`eks: add-on ${seed.addonName} is not in the catalog`);
    const version = spec.versions.find((v) => v.addonVersion === seed.addonVersion);
    if (!version)
      throw new Error(`eks: add-on ${seed.addonName} has no version ${seed.addonVersion}`);
    const check = checkConfigurationValues(seed.configurationValues, version.configurationSchema);
    if (!check.ok)
      throw new Error(`eks: seed configuration of ${seed.addonName}: ${check.message}`);
    const now = (seed.createdAt ?? new Date()).getTime();
    const status = seed.status ?? 'ACTIVE';
    const addon: AddonState = {
      addonName: seed.addonName,
      addonVersion: seed.addonVersion,
      status,
      issues: seed.health ?? [],
      arn: addonArn(c, seed.addonName),
      createdAt: now,
      modifiedAt: now,
      serviceAccountRoleArn: seed.serviceAccountRoleArn,
      configurationValues: seed.configurationValues,
      tags: { ...(seed.tags ?? {}) },
      podIdentityAssociations: [],
      applied: [],
    };
    c.addons.set(seed.addonName, addon);
    if (seed.applyWorkloads ?? ['ACTIVE', 'DEGRADED', 'UPDATE_FAILED'].includes(status)) {
      const result = applyWorkloads(
        this.ctx.kubeFor(c.accountId, c.region, c.name),
        c,
        addon,
        spec,
        check.values,
        'OVERWRITE',
      );
      if (result.issues.length)
        throw new Error(
          `eks: seeding ${seed.addonName}: ${result.issues.map((i) => i.message).join('; ')}`,
        );
    }
  }

  /** Scripts how the next create/update of an add-on ends. */
  failOn(failure: AddonFailure): void {
    this.addons.failOn(failure);
  }

  clearFailures(): void {
    this.addons.clearFailures();
  }

  /** Resolves once no add-on transition is pending (or only for one add-on, when given). */
  settled(where?: {
    accountId: string;
    region: string;
    clusterName: string;
    addonName: string;
  }): Promise<void> {
    const key = where
      ? addonKey(where.accountId, where.region, where.clusterName, where.addonName)
      : undefined;
    return this.addons.settled(key);
  }

  /** Stops pending transitions (they never complete) so the process can exit. */
  close(): void {
    this.addons.close();
  }

  /**
   * The tags of a cluster or add-on ARN, for `aws:ResourceTag/<key>`. An add-on ARN may end in
   * `*` for its id (the request names the add-on, not its id).
   */
  tagsOf(arn: string): Record<string, string> | undefined {
    const m = /^arn:aws:eks:([^:]+):(\d{12}):(cluster|addon)\/([^/]+)(?:\/([^/]+)\/[^/]+)?$/.exec(
      arn,
    );
    if (!m) return undefined;
    const c = this.clusters.get(clusterKey(m[2]!, m[1]!, m[4]!));
    if (!c) return undefined;
    if (m[3] === 'cluster') return { ...c.tags };
    const a = m[5] === undefined ? undefined : c.addons.get(m[5]);
    return a ? { ...a.tags } : undefined;
  }

  snapshot(): unknown {
    return {
      clusters: [...this.clusters.values()].map((c) => ({
        ...clusterView(c),
        addons: [...c.addons.values()].map((a) => ({ ...addonView(c, a), applied: a.applied })),
        updates: c.updates,
      })),
    };
  }

  // ---- AwsService ------------------------------------------------------------------------

  operationOf(req: AwsRequest): string | undefined {
    return matchEksRoute(req.method, req.rawPath)?.operation;
  }

  handle(req: AwsRequest, operation: string): AwsResponse {
    const route = matchEksRoute(req.method, req.rawPath);
    if (!route)
      throw new AwsError(
        'UnknownOperationException',
        `No operation matches ${req.method} ${req.path}`,
        404,
      );
    const p = route.params;
    switch (operation as EksOperation) {
      case 'ListClusters':
        return this.listClusters(req);
      case 'DescribeCluster':
        return { body: { cluster: clusterView(this.cluster(req, p.name!)) } };
      case 'ListAddons':
        return this.listAddons(req, p.name!);
      case 'DescribeAddon': {
        const c = this.cluster(req, p.name!);
        return { body: { addon: addonView(c, addonOf(c, p.addonName!)) } };
      }
      case 'CreateAddon':
        return this.idempotent(req, 'CreateAddon', p.name!, (c, body) =>
          this.addons.create(c, body),
        );
      case 'UpdateAddon':
        return this.idempotent(req, 'UpdateAddon', p.name!, (c, body) =>
          this.addons.update(c, p.addonName!, body),
        );
      case 'DeleteAddon':
        return this.addons.delete(req, this.cluster(req, p.name!), p.addonName!);
      case 'DescribeUpdate':
        return this.describeUpdate(req, p.name!, p.updateId!);
      case 'ListUpdates':
        return this.listUpdates(req, p.name!);
      case 'DescribeAddonVersions':
        return this.describeAddonVersions(req);
      case 'DescribeAddonConfiguration':
        return this.describeAddonConfiguration(req);
    }
  }

  // ---- read operations -------------------------------------------------------------------

  private listClusters(req: AwsRequest): AwsResponse {
    const names = [...this.clusters.values()]
      .filter((c) => c.accountId === req.accountId && c.region === req.region)
      .map((c) => c.name)
      .sort();
    return { body: listPage(req, 'clusters', names, 'ListClusters') };
  }

  private listAddons(req: AwsRequest, clusterName: string): AwsResponse {
    const c = this.cluster(req, clusterName);
    return { body: listPage(req, 'addons', [...c.addons.keys()].sort(), `ListAddons/${c.arn}`) };
  }

  private describeUpdate(req: AwsRequest, clusterName: string, updateId: string): AwsResponse {
    const c = this.cluster(req, clusterName);
    const addonName = req.query.get('addonName') ?? undefined;
    if (addonName !== undefined) addonOf(c, addonName);
    const u = c.updates.find((x) => x.id === updateId && x.addonName === addonName);
    if (!u)
      throw new AwsError(
        'ResourceNotFoundException',
        `No update found for ID: ${updateId}`,
        404,
        'Sender',
        { clusterName, ...(addonName ? { addonName } : {}) },
      );
    return { body: { update: updateView(u) } };
  }

  private listUpdates(req: AwsRequest, clusterName: string): AwsResponse {
    const c = this.cluster(req, clusterName);
    const addonName = req.query.get('addonName') ?? undefined;
    if (addonName !== undefined) addonOf(c, addonName);
    const ids = c.updates.filter((u) => u.addonName === addonName).map((u) => u.id);
    return { body: listPage(req, 'updateIds', ids, `ListUpdates/${c.arn}/${addonName ?? ''}`) };
  }

  private describeAddonVersions(req: AwsRequest): AwsResponse {
    const q = req.query;
    const k8s = q.get('kubernetesVersion') ?? undefined;
    const name = q.get('addonName') ?? undefined;
    const types = q.getAll('types');
    const publishers = q.getAll('publishers');
    const owners = q.getAll('owners');
    const addons = [...ADDON_CATALOG]
      .filter(
        (a) =>
          (name === undefined || a.addonName === name) && (!types.length || types.includes(a.type)),
      )
      .filter(
        (a) =>
          (!publishers.length || publishers.includes(a.publisher)) &&
          (!owners.length || owners.includes(a.owner)),
      )
      .sort((a, b) => a.addonName.localeCompare(b.addonName))
      .map((a) => addonInfoView(a, k8s))
      .filter((a) => a.addonVersions.length > 0);
    return { body: listPage(req, 'addons', addons, 'DescribeAddonVersions') };
  }

  private describeAddonConfiguration(req: AwsRequest): AwsResponse {
    const addonName = req.query.get('addonName');
    const addonVersion = req.query.get('addonVersion');
    if (!addonName) throw invalidParam('addonName is a required parameter');
    if (!addonVersion) throw invalidParam('addonVersion is a required parameter');
    if (!findAddon(addonName))
      throw invalidParam(`Addon ${addonName} specified is not supported`, { addonName });
    const v = findAddonVersion(addonName, addonVersion);
    if (!v)
      throw invalidParam(
        `Addon version ${addonVersion} specified is not supported for addon ${addonName}`,
        { addonName },
      );
    return {
      body: {
        addonName,
        addonVersion,
        configurationSchema: JSON.stringify(v.configurationSchema),
        podIdentityConfiguration: v.podIdentityConfiguration,
      },
    };
  }

  // ---- mutations ---------------------------------------------------------------------------

  /**
   * clientRequestToken: a repeat with the same token and the same request gets the first answer
   * and changes nothing; the same token with other parameters is refused.
   */
  private idempotent(
    req: AwsRequest,
    op: string,
    clusterName: string,
    run: (c: ClusterState, body: Record<string, unknown>) => AwsResponse,
  ): AwsResponse {
    const c = this.cluster(req, clusterName);
    const body = parseBody(req);
    const token = optString(body, 'clientRequestToken');
    if (token === undefined) return run(c, body);
    const { clientRequestToken: _ignored, ...rest } = body;
    const fingerprint = JSON.stringify([req.path, sortKeys(rest)]);
    const key = `${op}/${token}`;
    const seen = c.tokens.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        throw invalidParam(
          `The client request token ${token} has already been used with different request parameters`,
          { clusterName },
        );
      }
      return seen.response;
    }
    const response = run(c, body);
    c.tokens.set(key, {
      fingerprint,
      response: JSON.parse(JSON.stringify(response)) as AwsResponse,
    });
    return response;
  }

  // ---- helpers -------------------------------------------------------------------------------

  private cluster(req: AwsRequest, name: string): ClusterState {
    const c = this.clusters.get(clusterKey(req.accountId, req.region, name));
    if (!c)
      throw new AwsError(
        'ResourceNotFoundException',
        `No cluster found for name: ${name}.`,
        404,
        'Sender',
        { clusterName: name },
      );
    return c;
  }

  private mustCluster(accountId: string, region: string, name: string): ClusterState {
    const c = this.clusters.get(clusterKey(accountId, region, name));
    if (!c) throw new Error(`eks: no cluster ${name} in ${accountId}/${region}`);
    return c;
  }
}
