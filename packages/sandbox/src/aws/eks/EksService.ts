/**
 * Amazon EKS as the sandbox emulates it (REST-JSON, botocore `eks/2017-11-01`): clusters (seeded),
 * and add-ons with their asynchronous life (CREATING → ACTIVE, UPDATING → ACTIVE / DEGRADED,
 * DELETING → gone). When an add-on becomes ACTIVE its workloads are server-side applied to the
 * cluster's Kubernetes API with field manager `eks`, with the conflict rules of resolveConflicts.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  ADDON_CATALOG,
  findAddon,
  findAddonVersion,
  defaultAddonVersion,
  type AddonSpec,
  type AddonVersionSpec,
} from '../../catalog/addonCatalog';
import type { KubeClusterApi, KubeObject, ObjectRef } from '../../kube/types';
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { AwsError, type AwsRequest, type AwsResponse, type AwsService } from '../types';
import { checkConfigurationValues } from './configurationValues';
import { matchEksRoute, type EksOperation } from './eksRoutes';

export type ClusterStatus = 'CREATING' | 'ACTIVE' | 'DELETING' | 'FAILED' | 'UPDATING' | 'PENDING';
export type AddonStatus =
  | 'CREATING'
  | 'ACTIVE'
  | 'CREATE_FAILED'
  | 'UPDATING'
  | 'DELETING'
  | 'DELETE_FAILED'
  | 'DEGRADED'
  | 'UPDATE_FAILED';
export type ResolveConflicts = 'OVERWRITE' | 'NONE' | 'PRESERVE';

export interface AddonIssue {
  code: string;
  message: string;
  resourceIds?: string[];
}

export interface ClusterSeed {
  accountId: string;
  region: string;
  name: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  version: string;
  /** The sandbox Kubernetes API URL of this cluster. */
  endpoint: string;
  status?: ClusterStatus;
  platformVersion?: string;
  tags?: Record<string, string>;
  createdAt?: Date;
  roleArn?: string;
  certificateAuthorityData?: string;
}

export interface AddonSeed {
  accountId: string;
  region: string;
  clusterName: string;
  addonName: string;
  addonVersion: string;
  status?: AddonStatus;
  health?: AddonIssue[];
  configurationValues?: string;
  serviceAccountRoleArn?: string;
  tags?: Record<string, string>;
  createdAt?: Date;
  /** Apply the add-on's workloads to the cluster now (default: when the status is ACTIVE, DEGRADED or UPDATE_FAILED). */
  applyWorkloads?: boolean;
}

/** A scripted failure: the next create/update of this add-on (and version, if given) ends this way. */
export interface AddonFailure {
  addonName: string;
  addonVersion?: string;
  kind: 'create' | 'update';
  outcome: 'CREATE_FAILED' | 'UPDATE_FAILED' | 'DEGRADED';
  issue?: AddonIssue;
  /** How many transitions it hits; undefined = every one until cleared. */
  times?: number;
}

export interface UpdateRecord {
  id: string;
  addonName?: string;
  status: 'InProgress' | 'Failed' | 'Cancelled' | 'Successful';
  type: string;
  params: { type: string; value: string }[];
  createdAt: number;
  errors: { errorCode: string; errorMessage: string; resourceIds: string[] }[];
}

interface AddonState {
  addonName: string;
  addonVersion: string;
  status: AddonStatus;
  issues: AddonIssue[];
  arn: string;
  createdAt: number;
  modifiedAt: number;
  serviceAccountRoleArn?: string;
  configurationValues?: string;
  tags: Record<string, string>;
  podIdentityAssociations: string[];
  /** Objects applied to the cluster, deleted with the add-on unless preserved. */
  applied: ObjectRef[];
}

interface ClusterState {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  version: string;
  endpoint: string;
  status: ClusterStatus;
  platformVersion: string;
  tags: Record<string, string>;
  createdAt: number;
  roleArn: string;
  caData: string;
  oidcIssuer: string;
  addons: Map<string, AddonState>;
  updates: UpdateRecord[];
  /** clientRequestToken → what the first call with it asked and got. */
  tokens: Map<string, { fingerprint: string; response: AwsResponse }>;
}

interface Pending {
  key: string;
  timer: NodeJS.Timeout;
}

const IN_FLIGHT: AddonStatus[] = ['CREATING', 'UPDATING', 'DELETING'];
const UPDATE_ERROR_CODES = new Set([
  'AccessDenied',
  'ClusterUnreachable',
  'InsufficientNumberOfReplicas',
  'ConfigurationConflict',
  'AdmissionRequestDenied',
  'UnsupportedAddonModification',
  'K8sResourceNotFound',
]);

export class EksService implements AwsService, Snapshottable {
  readonly signingName = 'eks';
  readonly protocol = 'rest-json' as const;
  private readonly clusters = new Map<string, ClusterState>();
  private readonly pending = new Map<string, Pending>();
  private readonly settleWaiters: { key?: string; resolve: () => void }[] = [];
  private failures: AddonFailure[] = [];
  private closed = false;

  constructor(private readonly ctx: ServiceContext) {}

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
      const result = this.applyWorkloads(c, addon, spec, check.values, 'OVERWRITE');
      if (result.issues.length)
        throw new Error(
          `eks: seeding ${seed.addonName}: ${result.issues.map((i) => i.message).join('; ')}`,
        );
    }
  }

  /** Scripts how the next create/update of an add-on ends. */
  failOn(failure: AddonFailure): void {
    this.failures.push({ ...failure });
  }

  clearFailures(): void {
    this.failures = [];
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
    if (key ? !this.pending.has(key) : this.pending.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ key, resolve }));
  }

  /** Stops pending transitions (they never complete) so the process can exit. */
  close(): void {
    this.closed = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    for (const w of this.settleWaiters.splice(0)) w.resolve();
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
        return { body: { addon: addonView(c, this.addon(c, p.addonName!)) } };
      }
      case 'CreateAddon':
        return this.idempotent(req, 'CreateAddon', p.name!, (c, body) => this.createAddon(c, body));
      case 'UpdateAddon':
        return this.idempotent(req, 'UpdateAddon', p.name!, (c, body) =>
          this.updateAddon(c, p.addonName!, body),
        );
      case 'DeleteAddon':
        return this.deleteAddon(req, p.name!, p.addonName!);
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
    const page = paginate(req, names, 'ListClusters');
    return {
      body: { clusters: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) },
    };
  }

  private listAddons(req: AwsRequest, clusterName: string): AwsResponse {
    const c = this.cluster(req, clusterName);
    const page = paginate(req, [...c.addons.keys()].sort(), `ListAddons/${c.arn}`);
    return {
      body: { addons: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) },
    };
  }

  private describeUpdate(req: AwsRequest, clusterName: string, updateId: string): AwsResponse {
    const c = this.cluster(req, clusterName);
    const addonName = req.query.get('addonName') ?? undefined;
    if (addonName !== undefined) this.addon(c, addonName);
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
    if (addonName !== undefined) this.addon(c, addonName);
    const ids = c.updates.filter((u) => u.addonName === addonName).map((u) => u.id);
    const page = paginate(req, ids, `ListUpdates/${c.arn}/${addonName ?? ''}`);
    return {
      body: { updateIds: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) },
    };
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
    const page = paginate(req, addons, 'DescribeAddonVersions');
    return {
      body: { addons: page.items, ...(page.nextToken ? { nextToken: page.nextToken } : {}) },
    };
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

  private createAddon(c: ClusterState, body: Record<string, unknown>): AwsResponse {
    const addonName = optString(body, 'addonName');
    if (!addonName)
      throw invalidParam('addonName is a required parameter', { clusterName: c.name });
    const requestedVersion = optString(body, 'addonVersion');
    const roleArn = optString(body, 'serviceAccountRoleArn');
    const resolve = optResolveConflicts(body);
    const configurationValues = optString(body, 'configurationValues');
    const tags = optStringMap(body, 'tags');
    const podIdentity = optPodIdentity(body);
    if (body['namespaceConfig'] !== undefined && typeof body['namespaceConfig'] !== 'object')
      throw invalidParam('namespaceConfig must be an object');
    const ids = { clusterName: c.name, addonName };

    const existing = c.addons.get(addonName);
    if (existing) {
      throw new AwsError(
        'ResourceInUseException',
        IN_FLIGHT.includes(existing.status)
          ? `Addon ${addonName} is in ${existing.status} state`
          : 'Addon already exists.',
        409,
        'Sender',
        ids,
      );
    }
    if (resolve === 'PRESERVE')
      throw invalidParam(
        'Resolve conflicts PRESERVE is not supported for CreateAddon; use NONE or OVERWRITE',
        ids,
      );
    this.requireActiveCluster(c, ids);
    const spec = findAddon(addonName);
    if (!spec)
      throw invalidParam(
        `Addon ${addonName} specified is not supported in ${c.version} kubernetes version`,
        ids,
      );
    const addonVersion = requestedVersion ?? defaultAddonVersion(addonName, c.version);
    if (!addonVersion)
      throw invalidParam(
        `Addon ${addonName} specified is not supported in ${c.version} kubernetes version`,
        ids,
      );
    const version = this.compatibleVersion(c, spec, addonVersion, ids);
    const check = checkConfigurationValues(configurationValues, version.configurationSchema);
    if (!check.ok) throw invalidParam(check.message, ids);
    if (roleArn !== undefined && !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+/.test(roleArn))
      throw invalidParam(`Invalid serviceAccountRoleArn: ${roleArn}`, ids);
    this.checkPodIdentity(version, podIdentity, ids);

    const now = Date.now();
    const addon: AddonState = {
      addonName,
      addonVersion,
      status: 'CREATING',
      issues: [],
      arn: addonArn(c, addonName),
      createdAt: now,
      modifiedAt: now,
      serviceAccountRoleArn: roleArn,
      configurationValues: blankToUndefined(configurationValues),
      tags: tags ?? {},
      podIdentityAssociations: podIdentity.map(
        () =>
          `arn:aws:eks:${c.region}:${c.accountId}:podidentityassociation/${c.name}/a-${randomBytes(9).toString('hex').slice(0, 17)}`,
      ),
      applied: [],
    };
    c.addons.set(addonName, addon);
    this.schedule(c, addon, () =>
      this.finishCreate(c, addon, spec, check.values, resolve ?? 'NONE'),
    );
    return { body: { addon: addonView(c, addon) } };
  }

  private updateAddon(
    c: ClusterState,
    addonName: string,
    body: Record<string, unknown>,
  ): AwsResponse {
    const ids = { clusterName: c.name, addonName };
    const addon = this.addon(c, addonName);
    const requestedVersion = optString(body, 'addonVersion');
    const roleArn = optString(body, 'serviceAccountRoleArn');
    const resolve = optResolveConflicts(body);
    const configurationValues = optString(body, 'configurationValues');
    const podIdentity =
      body['podIdentityAssociations'] === undefined ? undefined : optPodIdentity(body);
    if (IN_FLIGHT.includes(addon.status)) {
      throw new AwsError(
        'ResourceInUseException',
        `Addon ${addonName} is in ${addon.status} state and cannot be updated`,
        409,
        'Sender',
        ids,
      );
    }
    this.requireActiveCluster(c, ids);
    const spec = findAddon(addonName)!;
    const targetVersion = requestedVersion ?? addon.addonVersion;
    const version = this.compatibleVersion(c, spec, targetVersion, ids);
    const nextConfig =
      configurationValues !== undefined
        ? blankToUndefined(configurationValues)
        : addon.configurationValues;
    const check = checkConfigurationValues(nextConfig, version.configurationSchema);
    if (!check.ok) throw invalidParam(check.message, ids);
    if (
      roleArn !== undefined &&
      roleArn !== '' &&
      !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+/.test(roleArn)
    )
      throw invalidParam(`Invalid serviceAccountRoleArn: ${roleArn}`, ids);
    if (podIdentity) this.checkPodIdentity(version, podIdentity, ids);

    const params: UpdateRecord['params'] = [];
    if (requestedVersion !== undefined)
      params.push({ type: 'AddonVersion', value: requestedVersion });
    if (roleArn !== undefined) params.push({ type: 'ServiceAccountRoleArn', value: roleArn });
    if (resolve !== undefined) params.push({ type: 'ResolveConflicts', value: resolve });
    if (configurationValues !== undefined)
      params.push({ type: 'ConfigurationValues', value: configurationValues });
    if (podIdentity !== undefined)
      params.push({ type: 'PodIdentityAssociations', value: JSON.stringify(podIdentity) });
    const update: UpdateRecord = {
      id: randomUUID(),
      addonName,
      status: 'InProgress',
      type: 'AddonUpdate',
      params,
      createdAt: Date.now(),
      errors: [],
    };
    c.updates.unshift(update);

    // EKS does not roll back: the requested version and configuration are the add-on's from now on,
    // whatever the outcome.
    addon.status = 'UPDATING';
    addon.addonVersion = targetVersion;
    addon.configurationValues = nextConfig;
    if (roleArn !== undefined) addon.serviceAccountRoleArn = roleArn === '' ? undefined : roleArn;
    addon.modifiedAt = Date.now();
    this.schedule(c, addon, () =>
      this.finishUpdate(c, addon, spec, check.values, resolve ?? 'NONE', update),
    );
    return { body: { update: updateView(update) } };
  }

  private deleteAddon(req: AwsRequest, clusterName: string, addonName: string): AwsResponse {
    const c = this.cluster(req, clusterName);
    const addon = this.addon(c, addonName);
    const rawPreserve = req.query.get('preserve');
    if (rawPreserve !== null && rawPreserve !== 'true' && rawPreserve !== 'false')
      throw invalidParam(`preserve must be a boolean, got '${rawPreserve}'`, {
        clusterName,
        addonName,
      });
    if (IN_FLIGHT.includes(addon.status)) {
      throw new AwsError(
        'ResourceInUseException',
        `Addon ${addonName} is in ${addon.status} state and cannot be deleted`,
        409,
        'Sender',
        { clusterName, addonName },
      );
    }
    const preserve = rawPreserve === 'true';
    addon.status = 'DELETING';
    addon.modifiedAt = Date.now();
    this.schedule(c, addon, () => {
      if (!preserve) {
        const kube = this.kube(c);
        if (kube) for (const ref of [...addon.applied].reverse()) kube.delete(ref);
      }
      c.addons.delete(addonName);
      c.updates = c.updates.filter((u) => u.addonName !== addonName);
    });
    return { body: { addon: addonView(c, addon) } };
  }

  // ---- asynchronous life ----------------------------------------------------------------------

  private schedule(c: ClusterState, addon: AddonState, settle: () => void): void {
    if (this.closed) return;
    const key = addonKey(c.accountId, c.region, c.name, addon.addonName);
    const timer = setTimeout(() => {
      this.pending.delete(key);
      try {
        settle();
      } finally {
        this.notifySettled(key);
      }
    }, this.ctx.timing.addonTransitionMs);
    timer.unref();
    this.pending.set(key, { key, timer });
  }

  private notifySettled(key: string): void {
    for (let i = this.settleWaiters.length - 1; i >= 0; i--) {
      const w = this.settleWaiters[i]!;
      if (w.key === undefined ? this.pending.size === 0 : w.key === key) {
        this.settleWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  private finishCreate(
    c: ClusterState,
    addon: AddonState,
    spec: AddonSpec,
    config: Record<string, unknown>,
    resolve: ResolveConflicts,
  ): void {
    addon.modifiedAt = Date.now();
    const failure = this.takeFailure(addon, 'create');
    if (failure) {
      addon.status = failure.outcome === 'DEGRADED' ? 'DEGRADED' : 'CREATE_FAILED';
      addon.issues = [
        failure.issue ?? {
          code: 'InternalFailure',
          message: 'Addon creation failed',
          resourceIds: [],
        },
      ];
      if (addon.status === 'DEGRADED')
        this.applyWorkloads(c, addon, spec, config, 'OVERWRITE', failure.issue);
      return;
    }
    const result = this.applyWorkloads(c, addon, spec, config, resolve);
    addon.issues = result.issues;
    addon.status = result.issues.length ? 'CREATE_FAILED' : 'ACTIVE';
  }

  private finishUpdate(
    c: ClusterState,
    addon: AddonState,
    spec: AddonSpec,
    config: Record<string, unknown>,
    resolve: ResolveConflicts,
    update: UpdateRecord,
  ): void {
    addon.modifiedAt = Date.now();
    const failure = this.takeFailure(addon, 'update');
    let issues: AddonIssue[];
    let failedStatus: AddonStatus = 'DEGRADED';
    if (failure) {
      issues = [
        failure.issue ?? {
          code: 'InternalFailure',
          message: 'Addon update failed',
          resourceIds: [],
        },
      ];
      failedStatus = failure.outcome === 'UPDATE_FAILED' ? 'UPDATE_FAILED' : 'DEGRADED';
      // The new version is rolled out even though it does not become healthy.
      this.applyWorkloads(c, addon, spec, config, 'OVERWRITE', failure.issue);
    } else {
      issues = this.applyWorkloads(c, addon, spec, config, resolve).issues;
    }
    addon.issues = issues;
    if (issues.length === 0) {
      addon.status = 'ACTIVE';
      update.status = 'Successful';
      return;
    }
    addon.status = failedStatus;
    update.status = 'Failed';
    update.errors = issues.map((i) => ({
      errorCode: UPDATE_ERROR_CODES.has(i.code) ? i.code : 'Unknown',
      errorMessage: i.message,
      resourceIds: i.resourceIds ?? [],
    }));
  }

  private takeFailure(addon: AddonState, kind: 'create' | 'update'): AddonFailure | undefined {
    const i = this.failures.findIndex(
      (f) =>
        f.kind === kind &&
        f.addonName === addon.addonName &&
        (f.addonVersion === undefined || f.addonVersion === addon.addonVersion),
    );
    if (i < 0) return undefined;
    const f = this.failures[i]!;
    if (f.times !== undefined && --f.times <= 0) this.failures.splice(i, 1);
    return f;
  }

  /**
   * Server-side applies the add-on's objects as field manager `eks`. OVERWRITE forces; NONE stops
   * at objects whose fields other managers own (reported as a ConfigurationConflict issue);
   * PRESERVE leaves such objects as they are.
   */
  private applyWorkloads(
    c: ClusterState,
    addon: AddonState,
    spec: AddonSpec,
    config: Record<string, unknown>,
    resolve: ResolveConflicts,
    unhealthy?: AddonIssue,
  ): { issues: AddonIssue[] } {
    const kube = this.kube(c);
    if (!kube) return { issues: [] };
    let objects = spec.workloads({
      accountId: c.accountId,
      region: c.region,
      clusterName: c.name,
      addonVersion: addon.addonVersion,
      config,
      serviceAccountRoleArn: addon.serviceAccountRoleArn,
    });
    if (unhealthy?.code === 'InsufficientNumberOfReplicas')
      objects = objects.map(withoutReadyReplicas);
    const conflicts: string[] = [];
    const conflictIds: string[] = [];
    const failures: AddonIssue[] = [];
    const applied: ObjectRef[] = [];
    for (const obj of objects) {
      try {
        kube.apply(obj, { fieldManager: 'eks', force: resolve === 'OVERWRITE' });
        applied.push(refOf(obj));
      } catch (e) {
        const err = e as { name?: string; conflicts?: { field: string }[] };
        if (err?.name === 'ApplyConflictError' && Array.isArray(err.conflicts)) {
          if (resolve === 'PRESERVE') {
            applied.push(refOf(obj));
            continue;
          }
          for (const k of err.conflicts)
            conflicts.push(`${kindWithGroup(obj)} ${obj.metadata.name} - ${k.field}`);
          conflictIds.push(obj.metadata.name);
        } else {
          failures.push({
            code: 'InternalFailure',
            message: `Failed to apply ${kindWithGroup(obj)} ${obj.metadata.name}: ${(e as Error)?.message ?? String(e)}`,
            resourceIds: [obj.metadata.name],
          });
        }
      }
    }
    // Objects the previous version applied and this one no longer has are pruned.
    const stillWanted = new Set(objects.map((o) => refKey(refOf(o))));
    if (conflicts.length === 0 && failures.length === 0) {
      for (const ref of addon.applied) if (!stillWanted.has(refKey(ref))) kube.delete(ref);
    }
    const known = new Map<string, ObjectRef>();
    for (const r of [...(conflicts.length || failures.length ? addon.applied : []), ...applied])
      known.set(refKey(r), r);
    addon.applied = [...known.values()];
    const issues: AddonIssue[] = [...failures];
    if (conflicts.length) {
      issues.unshift({
        code: 'ConfigurationConflict',
        message: `Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\n${conflicts.join('\n')}`,
        resourceIds: [...new Set(conflictIds)],
      });
    }
    return { issues };
  }

  // ---- helpers -------------------------------------------------------------------------------

  private kube(c: ClusterState): KubeClusterApi | undefined {
    return this.ctx.kubeFor(c.accountId, c.region, c.name);
  }

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

  private addon(c: ClusterState, addonName: string): AddonState {
    const a = c.addons.get(addonName);
    if (!a)
      throw new AwsError(
        'ResourceNotFoundException',
        `No addon: ${addonName} found in cluster: ${c.name}`,
        404,
        'Sender',
        { clusterName: c.name, addonName },
      );
    return a;
  }

  private requireActiveCluster(c: ClusterState, ids: Record<string, string>): void {
    if (c.status !== 'ACTIVE')
      throw new AwsError(
        'InvalidRequestException',
        `Cluster ${c.name} is in ${c.status} state; add-ons can only be changed on an ACTIVE cluster`,
        400,
        'Sender',
        ids,
      );
  }

  private compatibleVersion(
    c: ClusterState,
    spec: AddonSpec,
    addonVersion: string,
    ids: Record<string, string>,
  ): AddonVersionSpec {
    const v = spec.versions.find((x) => x.addonVersion === addonVersion);
    if (!v)
      throw invalidParam(
        `Addon version ${addonVersion} specified is not supported for addon ${spec.addonName}`,
        ids,
      );
    if (!v.clusterVersions.includes(c.version)) {
      throw invalidParam(
        `Addon version ${addonVersion} of ${spec.addonName} is not supported in ${c.version} kubernetes version`,
        ids,
      );
    }
    return v;
  }

  private checkPodIdentity(
    v: AddonVersionSpec,
    assocs: { serviceAccount: string; roleArn: string }[],
    ids: Record<string, string>,
  ): void {
    for (const a of assocs) {
      if (!v.podIdentityConfiguration.some((p) => p.serviceAccount === a.serviceAccount)) {
        throw invalidParam(
          `Service account ${a.serviceAccount} is not supported for pod identity by addon ${v.addonVersion}`,
          ids,
        );
      }
    }
  }
}

// ---- views (wire shapes) ---------------------------------------------------------------------

function epochSeconds(ms: number): number {
  return ms / 1000;
}

function clusterView(c: ClusterState): Record<string, unknown> {
  const suffix = createHash('sha256').update(c.arn).digest('hex');
  return {
    name: c.name,
    arn: c.arn,
    createdAt: epochSeconds(c.createdAt),
    version: c.version,
    endpoint: c.endpoint,
    roleArn: c.roleArn,
    resourcesVpcConfig: {
      subnetIds: [`subnet-${suffix.slice(0, 17)}`, `subnet-${suffix.slice(17, 34)}`],
      securityGroupIds: [],
      clusterSecurityGroupId: `sg-${suffix.slice(34, 51)}`,
      vpcId: `vpc-${suffix.slice(51, 64)}`,
      endpointPublicAccess: true,
      endpointPrivateAccess: true,
      publicAccessCidrs: ['0.0.0.0/0'],
    },
    kubernetesNetworkConfig: {
      serviceIpv4Cidr: '10.100.0.0/16',
      ipFamily: 'ipv4',
      elasticLoadBalancing: { enabled: false },
    },
    logging: {
      clusterLogging: [
        {
          types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
          enabled: false,
        },
      ],
    },
    identity: { oidc: { issuer: c.oidcIssuer } },
    status: c.status,
    certificateAuthority: { data: c.caData },
    platformVersion: c.platformVersion,
    tags: c.tags,
    health: { issues: [] },
    accessConfig: {
      bootstrapClusterCreatorAdminPermissions: true,
      authenticationMode: 'API_AND_CONFIG_MAP',
    },
    upgradePolicy: { supportType: 'EXTENDED' },
    deletionProtection: false,
  };
}

function addonView(c: ClusterState, a: AddonState): Record<string, unknown> {
  const spec = findAddon(a.addonName);
  return {
    addonName: a.addonName,
    clusterName: c.name,
    status: a.status,
    addonVersion: a.addonVersion,
    health: {
      issues: a.issues.map((i) => ({
        code: i.code,
        message: i.message,
        resourceIds: i.resourceIds ?? [],
      })),
    },
    addonArn: a.arn,
    createdAt: epochSeconds(a.createdAt),
    modifiedAt: epochSeconds(a.modifiedAt),
    ...(a.serviceAccountRoleArn ? { serviceAccountRoleArn: a.serviceAccountRoleArn } : {}),
    tags: a.tags,
    ...(spec ? { publisher: spec.publisher, owner: spec.owner } : {}),
    ...(spec?.marketplaceInformation
      ? { marketplaceInformation: spec.marketplaceInformation }
      : {}),
    ...(a.configurationValues !== undefined ? { configurationValues: a.configurationValues } : {}),
    podIdentityAssociations: a.podIdentityAssociations,
  };
}

function updateView(u: UpdateRecord): Record<string, unknown> {
  return {
    id: u.id,
    status: u.status,
    type: u.type,
    params: u.params,
    createdAt: epochSeconds(u.createdAt),
    errors: u.errors,
  };
}

/** DescribeAddonVersions' AddonInfo; with a Kubernetes version, only versions (and compatibilities) for it. */
function addonInfoView(a: AddonSpec, k8s: string | undefined) {
  const versions = a.versions
    .filter((v) => k8s === undefined || v.clusterVersions.includes(k8s))
    .map((v) => ({
      addonVersion: v.addonVersion,
      architecture: v.architecture,
      computeTypes: v.computeTypes,
      compatibilities: v.clusterVersions
        .filter((cv) => k8s === undefined || cv === k8s)
        .map((cv) => ({
          clusterVersion: cv,
          platformVersions: ['*'],
          defaultVersion: v.defaultFor.includes(cv),
        })),
      requiresConfiguration: v.requiresConfiguration,
      requiresIamPermissions: v.requiresIamPermissions,
    }));
  return {
    addonName: a.addonName,
    type: a.type,
    addonVersions: versions,
    publisher: a.publisher,
    owner: a.owner,
    defaultNamespace: a.defaultNamespace,
    ...(a.marketplaceInformation ? { marketplaceInformation: a.marketplaceInformation } : {}),
  };
}

// ---- input parsing ---------------------------------------------------------------------------

function invalidParam(message: string, extra: Record<string, string> = {}): AwsError {
  return new AwsError('InvalidParameterException', message, 400, 'Sender', extra);
}

function parseBody(req: AwsRequest): Record<string, unknown> {
  const text = req.body.toString('utf8');
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AwsError(
      'BadRequestException',
      'Could not parse request body into json: the body is not valid JSON',
      400,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new AwsError('BadRequestException', 'Request body must be a JSON object', 400);
  return parsed as Record<string, unknown>;
}

function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidParam(`${key} must be a string`);
  return v;
}

function optStringMap(
  body: Record<string, unknown>,
  key: string,
): Record<string, string> | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (
    typeof v !== 'object' ||
    Array.isArray(v) ||
    Object.values(v).some((x) => typeof x !== 'string')
  )
    throw invalidParam(`${key} must be a map of strings`);
  return { ...(v as Record<string, string>) };
}

function optResolveConflicts(body: Record<string, unknown>): ResolveConflicts | undefined {
  const v = optString(body, 'resolveConflicts');
  if (v === undefined) return undefined;
  if (v !== 'OVERWRITE' && v !== 'NONE' && v !== 'PRESERVE')
    throw invalidParam(`resolveConflicts must be one of OVERWRITE, NONE, PRESERVE, got '${v}'`);
  return v;
}

function optPodIdentity(
  body: Record<string, unknown>,
): { serviceAccount: string; roleArn: string }[] {
  const v = body['podIdentityAssociations'];
  if (v === undefined || v === null) return [];
  if (
    !Array.isArray(v) ||
    v.some(
      (x) =>
        typeof x !== 'object' ||
        x === null ||
        typeof x.serviceAccount !== 'string' ||
        typeof x.roleArn !== 'string',
    )
  ) {
    throw invalidParam('podIdentityAssociations must be a list of {serviceAccount, roleArn}');
  }
  return v as { serviceAccount: string; roleArn: string }[];
}

function blankToUndefined(s: string | undefined): string | undefined {
  return s === undefined || s.trim() === '' ? undefined : s;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** Opaque page tokens bound to the listing they came from. */
function paginate<T>(
  req: AwsRequest,
  items: T[],
  listing: string,
): { items: T[]; nextToken?: string } {
  const rawMax = req.query.get('maxResults');
  let max = 100;
  if (rawMax !== null) {
    max = Number(rawMax);
    if (!Number.isInteger(max) || max < 1 || max > 100)
      throw invalidParam(`maxResults must be between 1 and 100, got ${rawMax}`);
  }
  let offset = 0;
  const token = req.query.get('nextToken');
  if (token !== null) {
    let parsed: { l?: unknown; o?: unknown } | undefined;
    try {
      parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
        l?: unknown;
        o?: unknown;
      };
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.l !== listing || typeof parsed.o !== 'number' || parsed.o < 0)
      throw invalidParam('The nextToken provided is invalid');
    offset = parsed.o;
  }
  const page = items.slice(offset, offset + max);
  const next =
    offset + max < items.length
      ? Buffer.from(JSON.stringify({ l: listing, o: offset + max })).toString('base64url')
      : undefined;
  return { items: page, nextToken: next };
}

// ---- small pure helpers ----------------------------------------------------------------------

function clusterKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}

function addonKey(accountId: string, region: string, cluster: string, addon: string): string {
  return `${accountId}/${region}/${cluster}/${addon}`;
}

function addonArn(c: ClusterState, addonName: string): string {
  return `arn:aws:eks:${c.region}:${c.accountId}:addon/${c.name}/${addonName}/${randomUUID()}`;
}

function refOf(o: KubeObject): ObjectRef {
  return {
    apiVersion: o.apiVersion,
    kind: o.kind,
    name: o.metadata.name,
    ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
  };
}

function refKey(r: ObjectRef): string {
  return `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
}

/** `Deployment.apps`, `ConfigMap`: kind plus API group, as EKS names objects in conflict messages. */
function kindWithGroup(o: KubeObject): string {
  const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '';
  return group ? `${o.kind}.${group}` : o.kind;
}

function withoutReadyReplicas(o: KubeObject): KubeObject {
  if (o.kind !== 'Deployment') return o;
  const status = (o['status'] ?? {}) as Record<string, unknown>;
  return {
    ...o,
    status: {
      ...status,
      readyReplicas: 0,
      availableReplicas: 0,
      unavailableReplicas: status['replicas'] ?? 1,
    },
  };
}

/** A PEM-shaped CA bundle, base64 as EKS returns it; the sandbox API servers speak plain HTTP. */
function fakeCaData(arn: string): string {
  const body = createHash('sha512').update(`ca/${arn}`).digest('base64').repeat(8);
  const lines = body.match(/.{1,64}/g) ?? [];
  return Buffer.from(
    `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`,
  ).toString('base64');
}
