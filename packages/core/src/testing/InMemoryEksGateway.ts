/**
 * EksGateway in memory, for tests of everything above the port. It answers as EKS does where the
 * product depends on it (errors, catalog filtering, add-on life), checked by the same contract
 * suite as AwsSdkEksGateway. Add-on transitions settle lazily on the next read after
 * `transitionMs`, so tests need no timers.
 */
import type { AddonCatalogEntry } from '../addons/addonDrift';
import { compareAddonVersions } from '../addons/addonVersion';
import type { AddonIssue } from '../health/addonIssues';
import type {
  CreateAddonInput,
  EksAddon,
  EksAddonConfiguration,
  EksCluster,
  EksGateway,
  EksUpdate,
  UpdateAddonInput,
} from '../ports/EksGateway';
import { GatewayError } from '../ports/GatewayError';
import { FakeFaults } from './FakeFaults';
import { clone } from './clone';
import { compareText } from '../text/compareText';

export interface InMemoryClusterSeed {
  name: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  version: string;
  status?: string;
  endpoint?: string;
  platformVersion?: string;
  tags?: Record<string, string>;
}

export interface InMemoryAddonSeed {
  clusterName: string;
  addonName: string;
  addonVersion: string;
  status?: string;
  issues?: AddonIssue[];
  configurationValues?: string;
  serviceAccountRoleArn?: string;
}

export interface InMemoryEksGatewayOptions {
  accountId?: string;
  region?: string;
  clusters?: InMemoryClusterSeed[];
  addons?: InMemoryAddonSeed[];
  catalog?: AddonCatalogEntry[];
  /** JSON Schema text per `addonName@addonVersion` (DescribeAddonConfiguration). */
  configurationSchemas?: Record<string, string>;
  /** How long CREATING / UPDATING / DELETING last, in ms of `now()`. Default 0 (next read settles). */
  transitionMs?: number;
  /** The clock transitions are measured on. */
  now?: () => number;
}

interface AddonState extends EksAddon {
  settlesAt?: number;
  /** What the add-on becomes when it settles; undefined = removed (deletion). */
  settlesTo?: 'ACTIVE' | 'GONE';
  updateId?: string;
}

interface ClusterState {
  cluster: EksCluster;
  addons: Map<string, AddonState>;
  updates: (EksUpdate & { addonName?: string })[];
}

const IN_FLIGHT = new Set(['CREATING', 'UPDATING', 'DELETING']);
const DEFAULT_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  properties: {},
  additionalProperties: true,
});

export class InMemoryEksGateway implements EksGateway {
  readonly accountId: string;
  readonly region: string;
  readonly faults = new FakeFaults();
  private readonly clusters = new Map<string, ClusterState>();
  private catalog: AddonCatalogEntry[];
  private readonly schemas: Record<string, string>;
  private readonly transitionMs: number;
  private readonly now: () => number;
  private nextId = 1;

  constructor(opts: InMemoryEksGatewayOptions = {}) {
    this.accountId = opts.accountId ?? '111111111111';
    this.region = opts.region ?? 'us-east-1';
    this.catalog = clone(opts.catalog ?? []);
    this.schemas = { ...(opts.configurationSchemas ?? {}) };
    this.transitionMs = opts.transitionMs ?? 0;
    this.now = opts.now ?? Date.now;
    for (const c of opts.clusters ?? []) this.addCluster(c);
    for (const a of opts.addons ?? []) this.seedAddon(a);
  }

  // ---- seeding -------------------------------------------------------------------------------

  addCluster(seed: InMemoryClusterSeed): EksCluster {
    const arn = `arn:aws:eks:${this.region}:${this.accountId}:cluster/${seed.name}`;
    const cluster: EksCluster = {
      name: seed.name,
      arn,
      accountId: this.accountId,
      region: this.region,
      version: seed.version,
      status: seed.status ?? 'ACTIVE',
      endpoint: seed.endpoint ?? `https://${seed.name}.${this.region}.eks.amazonaws.com`,
      platformVersion: seed.platformVersion ?? 'eks.8',
      createdAt: new Date(this.now()).toISOString(),
      tags: { ...(seed.tags ?? {}) },
    };
    this.clusters.set(seed.name, { cluster, addons: new Map(), updates: [] });
    return clone(cluster);
  }

  seedAddon(seed: InMemoryAddonSeed): void {
    const c = this.mustCluster(seed.clusterName, 'seedAddon');
    const at = new Date(this.now()).toISOString();
    c.addons.set(seed.addonName, {
      clusterName: seed.clusterName,
      addonName: seed.addonName,
      addonVersion: seed.addonVersion,
      status: seed.status ?? 'ACTIVE',
      issues: clone(seed.issues ?? []),
      arn: `arn:aws:eks:${this.region}:${this.accountId}:addon/${seed.clusterName}/${seed.addonName}/${this.id()}`,
      ...(seed.configurationValues !== undefined
        ? { configurationValues: seed.configurationValues }
        : {}),
      ...(seed.serviceAccountRoleArn ? { serviceAccountRoleArn: seed.serviceAccountRoleArn } : {}),
      createdAt: at,
      modifiedAt: at,
    });
  }

  setCatalog(catalog: AddonCatalogEntry[]): void {
    this.catalog = clone(catalog);
  }

  setClusterVersion(name: string, version: string): void {
    this.mustCluster(name, 'setClusterVersion').cluster.version = version;
  }

  // ---- EksGateway ----------------------------------------------------------------------------

  async listClusters(): Promise<string[]> {
    this.faults.check('eks', 'ListClusters');
    return [...this.clusters.keys()].sort();
  }

  async describeCluster(name: string): Promise<EksCluster> {
    this.faults.check('eks', 'DescribeCluster');
    return clone(this.mustCluster(name, 'DescribeCluster').cluster);
  }

  async listAddons(clusterName: string): Promise<string[]> {
    this.faults.check('eks', 'ListAddons');
    const c = this.mustCluster(clusterName, 'ListAddons');
    this.settle(c);
    return [...c.addons.keys()].sort();
  }

  async describeAddon(clusterName: string, addonName: string): Promise<EksAddon | undefined> {
    this.faults.check('eks', 'DescribeAddon');
    const c = this.mustCluster(clusterName, 'DescribeAddon');
    this.settle(c);
    const a = c.addons.get(addonName);
    return a ? view(a) : undefined;
  }

  async describeAddonVersions(query: {
    addonName?: string;
    kubernetesVersion?: string;
  }): Promise<AddonCatalogEntry[]> {
    this.faults.check('eks', 'DescribeAddonVersions');
    const k8s = query.kubernetesVersion;
    return this.catalog
      .filter((e) => query.addonName === undefined || e.addonName === query.addonName)
      .map((e) => ({
        addonName: e.addonName,
        versions: e.versions
          .filter(
            (v) => k8s === undefined || v.compatibilities.some((c) => c.clusterVersion === k8s),
          )
          .map((v) => ({
            addonVersion: v.addonVersion,
            compatibilities: v.compatibilities
              .filter((c) => k8s === undefined || c.clusterVersion === k8s)
              .map((c) => ({ ...c })),
          })),
      }))
      .filter((e) => e.versions.length > 0)
      .sort((a, b) => compareText(a.addonName, b.addonName));
  }

  async describeAddonConfiguration(
    addonName: string,
    addonVersion: string,
  ): Promise<EksAddonConfiguration> {
    this.faults.check('eks', 'DescribeAddonConfiguration');
    const entry = this.catalog.find((e) => e.addonName === addonName);
    if (!entry)
      throw invalid(`Addon ${addonName} specified is not supported`, 'DescribeAddonConfiguration');
    if (!entry.versions.some((v) => v.addonVersion === addonVersion)) {
      throw invalid(
        `Addon version ${addonVersion} specified is not supported for addon ${addonName}`,
        'DescribeAddonConfiguration',
      );
    }
    return {
      addonName,
      addonVersion,
      configurationSchema: this.schemas[`${addonName}@${addonVersion}`] ?? DEFAULT_SCHEMA,
    };
  }

  async createAddon(input: CreateAddonInput): Promise<EksAddon> {
    this.faults.check('eks', 'CreateAddon');
    const c = this.mustCluster(input.clusterName, 'CreateAddon');
    this.settle(c);
    const existing = c.addons.get(input.addonName);
    if (existing) {
      throw new GatewayError(
        'InUse',
        IN_FLIGHT.has(existing.status)
          ? `Addon ${input.addonName} is in ${existing.status} state`
          : 'Addon already exists.',
        'eks',
        'CreateAddon',
        'ResourceInUseException',
        409,
      );
    }
    const version = input.addonVersion ?? this.defaultVersion(input.addonName, c.cluster.version);
    if (!version)
      throw invalid(
        `Addon ${input.addonName} specified is not supported in ${c.cluster.version} kubernetes version`,
        'CreateAddon',
      );
    this.requireCompatible(input.addonName, version, c.cluster.version, 'CreateAddon');
    const at = this.now();
    const addon: AddonState = {
      clusterName: input.clusterName,
      addonName: input.addonName,
      addonVersion: version,
      status: 'CREATING',
      issues: [],
      arn: `arn:aws:eks:${this.region}:${this.accountId}:addon/${input.clusterName}/${input.addonName}/${this.id()}`,
      ...(input.configurationValues ? { configurationValues: input.configurationValues } : {}),
      ...(input.serviceAccountRoleArn
        ? { serviceAccountRoleArn: input.serviceAccountRoleArn }
        : {}),
      createdAt: new Date(at).toISOString(),
      modifiedAt: new Date(at).toISOString(),
      settlesAt: at + this.transitionMs,
      settlesTo: 'ACTIVE',
    };
    c.addons.set(input.addonName, addon);
    return view(addon);
  }

  async updateAddon(input: UpdateAddonInput): Promise<EksUpdate> {
    this.faults.check('eks', 'UpdateAddon');
    const c = this.mustCluster(input.clusterName, 'UpdateAddon');
    this.settle(c);
    const a = this.mustAddon(c, input.addonName, 'UpdateAddon');
    if (IN_FLIGHT.has(a.status)) {
      throw new GatewayError(
        'InUse',
        `Addon ${input.addonName} is in ${a.status} state and cannot be updated`,
        'eks',
        'UpdateAddon',
        'ResourceInUseException',
        409,
      );
    }
    const version = input.addonVersion ?? a.addonVersion;
    this.requireCompatible(input.addonName, version, c.cluster.version, 'UpdateAddon');
    const params: EksUpdate['params'] = [];
    if (input.addonVersion !== undefined)
      params.push({ type: 'AddonVersion', value: input.addonVersion });
    if (input.serviceAccountRoleArn !== undefined)
      params.push({ type: 'ServiceAccountRoleArn', value: input.serviceAccountRoleArn });
    if (input.resolveConflicts !== undefined)
      params.push({ type: 'ResolveConflicts', value: input.resolveConflicts });
    if (input.configurationValues !== undefined)
      params.push({ type: 'ConfigurationValues', value: input.configurationValues });
    const at = this.now();
    const update = {
      id: this.id(),
      status: 'InProgress',
      type: 'AddonUpdate',
      params,
      errors: [],
      createdAt: new Date(at).toISOString(),
      addonName: input.addonName,
    };
    c.updates.unshift(update);
    a.addonVersion = version;
    if (input.configurationValues !== undefined) {
      if (input.configurationValues.trim() === '') delete a.configurationValues;
      else a.configurationValues = input.configurationValues;
    }
    if (input.serviceAccountRoleArn !== undefined) {
      if (input.serviceAccountRoleArn === '') delete a.serviceAccountRoleArn;
      else a.serviceAccountRoleArn = input.serviceAccountRoleArn;
    }
    a.status = 'UPDATING';
    a.modifiedAt = new Date(at).toISOString();
    a.settlesAt = at + this.transitionMs;
    a.settlesTo = 'ACTIVE';
    a.updateId = update.id;
    return strip(update);
  }

  async deleteAddon(
    clusterName: string,
    addonName: string,
    _opts: { preserve?: boolean } = {},
  ): Promise<EksAddon | undefined> {
    this.faults.check('eks', 'DeleteAddon');
    const c = this.mustCluster(clusterName, 'DeleteAddon');
    this.settle(c);
    const a = this.mustAddon(c, addonName, 'DeleteAddon');
    if (IN_FLIGHT.has(a.status)) {
      throw new GatewayError(
        'InUse',
        `Addon ${addonName} is in ${a.status} state and cannot be deleted`,
        'eks',
        'DeleteAddon',
        'ResourceInUseException',
        409,
      );
    }
    a.status = 'DELETING';
    a.settlesAt = this.now() + this.transitionMs;
    a.settlesTo = 'GONE';
    return view(a);
  }

  async describeUpdate(
    clusterName: string,
    updateId: string,
    addonName?: string,
  ): Promise<EksUpdate> {
    this.faults.check('eks', 'DescribeUpdate');
    const c = this.mustCluster(clusterName, 'DescribeUpdate');
    this.settle(c);
    if (addonName !== undefined) this.mustAddon(c, addonName, 'DescribeUpdate');
    const u = c.updates.find((x) => x.id === updateId && x.addonName === addonName);
    if (!u)
      throw new GatewayError(
        'NotFound',
        `No update found for ID: ${updateId}`,
        'eks',
        'DescribeUpdate',
        'ResourceNotFoundException',
        404,
      );
    return strip(u);
  }

  // ---- internals -----------------------------------------------------------------------------

  private settle(c: ClusterState): void {
    const now = this.now();
    for (const [name, a] of c.addons) {
      if (a.settlesAt === undefined || a.settlesAt > now) continue;
      if (a.settlesTo === 'GONE') {
        c.addons.delete(name);
        c.updates = c.updates.filter((u) => u.addonName !== name);
        continue;
      }
      a.status = 'ACTIVE';
      a.issues = [];
      a.modifiedAt = new Date(now).toISOString();
      const u = c.updates.find((x) => x.id === a.updateId);
      if (u) u.status = 'Successful';
      delete a.settlesAt;
      delete a.settlesTo;
      delete a.updateId;
    }
  }

  private defaultVersion(addonName: string, k8s: string): string | undefined {
    const entry = this.catalog.find((e) => e.addonName === addonName);
    const compatible = (entry?.versions ?? []).filter((v) =>
      v.compatibilities.some((c) => c.clusterVersion === k8s),
    );
    const def = compatible.find((v) =>
      v.compatibilities.some((c) => c.clusterVersion === k8s && c.defaultVersion),
    );
    return (
      def?.addonVersion ??
      compatible.map((v) => v.addonVersion).sort((a, b) => compareAddonVersions(b, a))[0]
    );
  }

  private requireCompatible(
    addonName: string,
    version: string,
    k8s: string,
    operation: string,
  ): void {
    const entry = this.catalog.find((e) => e.addonName === addonName);
    if (!entry)
      throw invalid(
        `Addon ${addonName} specified is not supported in ${k8s} kubernetes version`,
        operation,
      );
    const v = entry.versions.find((x) => x.addonVersion === version);
    if (!v)
      throw invalid(
        `Addon version ${version} specified is not supported for addon ${addonName}`,
        operation,
      );
    if (!v.compatibilities.some((c) => c.clusterVersion === k8s)) {
      throw invalid(
        `Addon version ${version} of ${addonName} is not supported in ${k8s} kubernetes version`,
        operation,
      );
    }
  }

  private mustCluster(name: string, operation: string): ClusterState {
    const c = this.clusters.get(name);
    if (!c)
      throw new GatewayError(
        'NotFound',
        `No cluster found for name: ${name}.`,
        'eks',
        operation,
        'ResourceNotFoundException',
        404,
      );
    return c;
  }

  private mustAddon(c: ClusterState, addonName: string, operation: string): AddonState {
    const a = c.addons.get(addonName);
    if (!a)
      throw new GatewayError(
        'NotFound',
        `No addon: ${addonName} found in cluster: ${c.cluster.name}`,
        'eks',
        operation,
        'ResourceNotFoundException',
        404,
      );
    return a;
  }

  private id(): string {
    const n = (this.nextId++).toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${n}`;
  }
}

function invalid(message: string, operation: string): GatewayError {
  return new GatewayError(
    'InvalidParameter',
    message,
    'eks',
    operation,
    'InvalidParameterException',
    400,
  );
}

function view(a: AddonState): EksAddon {
  const { settlesAt: _s, settlesTo: _t, updateId: _u, ...rest } = a;
  return clone(rest);
}

function strip(u: EksUpdate & { addonName?: string }): EksUpdate {
  const { addonName: _a, ...rest } = u;
  return clone(rest);
}
