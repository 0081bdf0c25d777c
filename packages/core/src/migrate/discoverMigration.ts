/**
 * Everything a migration plan is computed from, read through the gateways and nothing changed:
 * the Helm release (in whatever namespace it really is, alone or as a sub-chart), its objects as
 * they are live, the add-ons and their versions and schemas for this cluster's Kubernetes
 * version, the IAM roles the values name and the ones the add-on needs, the TLS bucket, the
 * certificates / load balancers / certificate objects to tag and their current tags, and access
 * reviews for what the run will do. A read that fails is recorded in `readErrors` (and blocks the
 * plan), never swallowed.
 */
import { compatibleVersions, type AddonCatalogEntry } from '../addons/addonDrift';
import { compareAddonVersions } from '../addons/addonVersion';
import { componentForAddon, INFERENCE_PREREQUISITES } from '../components/addonComponents';
import { HelmReleaseGateway } from '../helm/HelmReleaseGateway';
import { helmReleaseSecretName, type HelmRelease, type HelmValues } from '../helm/HelmRelease';
import type { AcmGateway } from '../ports/AcmGateway';
import type { EksAddon, EksCluster, EksGateway } from '../ports/EksGateway';
import type { Elbv2Gateway } from '../ports/Elbv2Gateway';
import { GatewayError } from '../ports/GatewayError';
import type { IamGateway, IamRole, PolicyDocument } from '../ports/IamGateway';
import type { KubeAccessQuery, KubeGateway, KubeObject, KubeRef } from '../ports/KubeGateway';
import type { BucketHead, S3Gateway } from '../ports/S3Gateway';
import type { ScanError } from '../report/ClusterReport';
import { toScanError } from '../scan/observeCluster';
import { withRetry, type RetryOptions } from '../scan/withRetry';
import type { ResourceRef } from './MigrationPlan';
import {
  discoverReleaseObjects,
  type DiscoveredCrd,
  type DiscoveredHook,
} from './discoverReleaseObjects';
import { getPath, manifestObjects, refKey, resourceOf, type ManifestObject } from './manifest';
import { findProfile, type MigrationProfile } from './profiles';

export interface DiscoveredRelease {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  chartVersion: string;
  /** Where the component's chart sits in the release. */
  chartPath: string[];
  /** The component's user values (its sub-tree of the release's values for a sub-chart). */
  values: HelmValues;
  /** Every revision's storage Secret. */
  secrets: KubeRef[];
  /** Every readable revision's status, oldest first; undefined when the history could not be read. */
  history?: { revision: number; status: string }[];
  /** The manifest's objects (what Helm upgrades and uninstalls). */
  objects: ManifestObject[];
  /** The release's hooks, stored apart, and whether each is on the cluster. */
  hooks: DiscoveredHook[];
  /** The charts' crds/ CRDs (not in the manifest), and whether each is on the cluster. */
  crds: DiscoveredCrd[];
}

export interface TagTarget {
  target: Extract<ResourceRef, { type: 'load-balancer' | 'certificate' | 's3-object' }>;
  tags: Record<string, string>;
  /** Where it was found (`JumpStartModel default/llama`, `Ingress default/alb-x`). */
  foundIn: string;
}

export interface DependencyState {
  addonName: string;
  /** Chart path of its sub-chart in the release, when the release installs it. */
  helmChartPath?: string[];
  /** How it is present outside the release (`CSIDriver s3.csi.aws.com`), when it is. */
  external?: string;
}

export interface MigrationDiscovery {
  profile: string;
  /** The add-on version asked for (`--addon-version`: a version, `default` or `latest`); undefined = default. */
  requestedVersion?: string;
  cluster: Pick<EksCluster, 'name' | 'arn' | 'accountId' | 'region' | 'version' | 'oidcIssuer'>;
  /** Undefined when no release installs the component. */
  release?: DiscoveredRelease;
  /** Every release that installs it (more than one: the user must pick with --release). */
  candidates: { release: string; namespace: string; chartPath: string[] }[];
  /** Replicas of the Deployments that will be scaled down, by refKey. */
  replicas: Record<string, number>;
  /** Add-ons of the cluster that matter (target and dependencies); null = not installed, absent = the read failed. */
  addons: Record<string, EksAddon | null>;
  catalogs: Record<string, AddonCatalogEntry | null>;
  /** DescribeAddonConfiguration schema per `addon@version`; null = none published. */
  schemas: Record<string, string | null>;
  /** Roles by name; null = no such role. */
  roles: Record<string, IamRole | null>;
  /** Inline policy documents of the roles the values name, by role then policy name. */
  inlinePolicies: Record<string, Record<string, PolicyDocument>>;
  bucket?: { name: string; head: BucketHead };
  tagTargets: TagTarget[];
  dependencies: DependencyState[];
  access: (KubeAccessQuery & { allowed: boolean; reason?: string })[];
  reads: ResourceRef[];
  readErrors: string[];
  /**
   * Calls that failed (the cluster did not answer, access was denied...), as the scan reports
   * them: a face tells an access failure (exit 4) from a plan that is blocked.
   */
  failedReads?: ScanError[];
  /** Why the Helm releases could not be listed, when they could not: no release found then means unknown, not none. */
  helmReleasesUnread?: string;
}

export interface DiscoverMigrationDeps {
  eks: EksGateway;
  kube: KubeGateway;
  iam: IamGateway;
  s3?: S3Gateway;
  elbv2?: Elbv2Gateway;
  acm?: AcmGateway;
  retry?: RetryOptions;
}

export interface DiscoverMigrationOptions {
  clusterName: string;
  profile: string;
  /** Pick this release when several install the component (`name` or `namespace/name`). */
  release?: string;
  /** Add-on version requested; default: the default version for the cluster's Kubernetes version. */
  addonVersion?: string;
  /** Namespace of the migration lock (Lease). */
  leaseNamespace?: string;
}

export const LEASE_NAMESPACE = 'kube-system';

const GROUP = 'inference.sagemaker.aws.amazon.com';

export async function discoverMigration(
  deps: DiscoverMigrationDeps,
  opts: DiscoverMigrationOptions,
): Promise<MigrationDiscovery> {
  const profile = findProfile(opts.profile);
  if (!profile) throw new Error(`unknown migration profile ${opts.profile}`);
  const call = <T>(fn: () => Promise<T>) =>
    withRetry(fn, { attempts: 8, baseDelayMs: 200, maxDelayMs: 5_000, ...deps.retry });
  const readErrors: string[] = [];
  const failedReads: ScanError[] = [];
  const reads: ResourceRef[] = [];
  const read = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await call(fn);
    } catch (e) {
      readErrors.push(`${what}: ${e instanceof Error ? e.message : String(e)}`);
      failedReads.push(toScanError(what, e));
      return undefined;
    }
  };

  const cluster = await call(() => deps.eks.describeCluster(opts.clusterName));
  const d: MigrationDiscovery = {
    profile: profile.id,
    ...(opts.addonVersion ? { requestedVersion: opts.addonVersion } : {}),
    cluster: {
      name: cluster.name,
      arn: cluster.arn,
      accountId: cluster.accountId,
      region: cluster.region,
      version: cluster.version,
      ...(cluster.oidcIssuer ? { oidcIssuer: cluster.oidcIssuer } : {}),
    },
    candidates: [],
    replicas: {},
    addons: {},
    catalogs: {},
    schemas: {},
    roles: {},
    inlinePolicies: {},
    tagTargets: [],
    dependencies: [],
    access: [],
    reads,
    readErrors,
    failedReads,
  };

  // The release, wherever it is.
  const helm = new HelmReleaseGateway(deps.kube);
  reads.push({ type: 'kube', apiVersion: 'v1', kind: 'Secret', name: '*', namespace: '*' });
  const listing = await read('list Helm releases', () => helm.list());
  if (!listing) d.helmReleasesUnread = failedReads[failedReads.length - 1]?.message ?? 'unknown';
  for (const e of listing?.errors ?? [])
    readErrors.push(`Helm release ${e.namespace}/${e.releaseName ?? e.secretName}: ${e.message}`);
  const found: { release: HelmRelease; chartPath: string[] }[] = [];
  for (const r of listing?.releases ?? []) {
    if (r.status === 'uninstalled') continue;
    const path = componentPath(profile, r);
    if (path) found.push({ release: r, chartPath: path });
  }
  d.candidates = found.map((f) => ({
    release: f.release.name,
    namespace: f.release.namespace,
    chartPath: f.chartPath,
  }));
  const chosen = opts.release
    ? found.filter(
        (f) =>
          opts.release === f.release.name ||
          opts.release === `${f.release.namespace}/${f.release.name}`,
      )
    : found;
  const pick = chosen.length === 1 ? chosen[0] : undefined;
  if (pick) {
    const r = pick.release;
    const history = await read(`history of Helm release ${r.namespace}/${r.name}`, () =>
      helm.history(r.name, r.namespace),
    );
    const revisions = history?.revisions.map((x) => x.revision) ?? [r.revision];
    for (const e of history?.errors ?? []) readErrors.push(`Helm release ${r.name}: ${e.message}`);
    const inRelease = await discoverReleaseObjects(deps.kube, r, read, reads);
    for (const e of inRelease.errors) readErrors.push(`Helm release ${r.namespace}/${r.name} ${e}`);
    d.release = {
      name: r.name,
      namespace: r.namespace,
      revision: r.revision,
      status: r.status,
      chart: r.chart.name,
      chartVersion: r.chart.version,
      chartPath: pick.chartPath,
      values: subValues(r.values, pick.chartPath),
      ...(history
        ? { history: history.revisions.map((x) => ({ revision: x.revision, status: x.status })) }
        : {}),
      secrets: revisions.map((v) => ({
        apiVersion: 'v1',
        kind: 'Secret',
        namespace: r.namespace,
        name: helmReleaseSecretName(r.name, v),
      })),
      objects: inRelease.objects,
      hooks: inRelease.hooks,
      crds: inRelease.crds,
    };
  }

  // Add-ons: the target and the dependencies, with versions and schemas.
  const addonNames = [profile.addonName, ...profile.dependencies.map((x) => x.profile)].map(
    (p) => findProfile(p)?.addonName ?? p,
  );
  await Promise.all(
    addonNames.map(async (name) => {
      reads.push({ type: 'eks-addon', name });
      let answered = false;
      const addon = await read(`DescribeAddon ${name}`, async () => {
        const a = await deps.eks.describeAddon(cluster.name, name);
        answered = true;
        return a;
      });
      // A failed read leaves it unknown (absent), never "not installed" (null).
      if (answered) d.addons[name] = addon ?? null;
      const catalog = await read(`DescribeAddonVersions ${name}`, () =>
        deps.eks.describeAddonVersions({ addonName: name, kubernetesVersion: cluster.version }),
      );
      d.catalogs[name] = catalog?.find((c) => c.addonName === name) ?? null;
    }),
  );
  const versionsToCheck = new Set<string>();
  const targetCatalog = d.catalogs[profile.addonName];
  const targetVersion = targetCatalog
    ? chooseAddonVersion(targetCatalog, cluster.version, { requested: opts.addonVersion })
    : undefined;
  if (targetVersion) versionsToCheck.add(`${profile.addonName}@${targetVersion}`);
  for (const dep of profile.dependencies) {
    const cat = d.catalogs[dep.profile];
    const v = cat ? chooseAddonVersion(cat, cluster.version, { min: dep.minVersion }) : undefined;
    if (v) versionsToCheck.add(`${dep.profile}@${v}`);
  }
  await Promise.all(
    [...versionsToCheck].map(async (key) => {
      const [name, version] = key.split('@') as [string, string];
      const conf = await read(`DescribeAddonConfiguration ${name} ${version}`, () =>
        deps.eks.describeAddonConfiguration(name, version),
      );
      if (conf) d.schemas[key] = conf.configurationSchema ?? null;
    }),
  );

  if (d.release) {
    const rel = d.release;
    // Live replicas of what will be scaled down.
    for (const o of scaleDownObjects(profile, rel)) {
      const live = await read(`get ${o.kind} ${o.namespace}/${o.name}`, () => deps.kube.get(o));
      reads.push({ type: 'kube', ...o });
      if (live) d.replicas[refKey(o)] = Number(getPath(live, 'spec.replicas') ?? 1);
    }

    // IAM roles named in the values, and the ones the add-on needs.
    const id8 = hyperpodId8(rel.values);
    const roleNames = new Set<string>();
    for (const m of profile.mappings) {
      const v = getPath(rel.values, m.from);
      if (typeof v === 'string' && /^arn:aws[a-z-]*:iam::\d{12}:role\//.test(v))
        roleNames.add(roleNameOf(v));
      if (m.role && id8) roleNames.add(m.role.name.replace('{id8}', id8));
    }
    await Promise.all(
      [...roleNames].map(async (name) => {
        reads.push({ type: 'iam-role', name });
        const role = await read(`GetRole ${name}`, () => deps.iam.getRole(name));
        if (role !== undefined || !readErrors.some((e) => e.startsWith(`GetRole ${name}:`)))
          d.roles[name] = role ?? null;
        if (!role) return;
        const docs: Record<string, PolicyDocument> = {};
        for (const policy of role.inlinePolicyNames) {
          const doc = await read(`GetRolePolicy ${name} ${policy}`, () =>
            deps.iam.getRolePolicy(name, policy),
          );
          if (doc) docs[policy] = doc;
        }
        d.inlinePolicies[name] = docs;
      }),
    );

    // Dependencies: in this release, installed otherwise, or absent.
    for (const dep of profile.dependencies) {
      const depProfile = findProfile(dep.profile)!;
      const helmPath = dependencyPath(rel, depProfile);
      const state: DependencyState = { addonName: depProfile.addonName };
      if (helmPath) state.helmChartPath = helmPath;
      else {
        const ext = await read(`look for ${depProfile.addonName}`, () =>
          externalInstall(deps.kube, depProfile.addonName, rel),
        );
        if (ext) state.external = ext;
      }
      d.dependencies.push(state);
    }

    if (profile.tagsInferenceResources) {
      await discoverTagTargets(deps, d, rel, read);
      const bucketValue = getPath(rel.values, 'tlsCertificateS3Bucket');
      if (typeof bucketValue === 'string' && bucketValue !== '' && deps.s3) {
        const name = s3BucketName(bucketValue);
        reads.push({ type: 's3-bucket', bucket: name });
        const head = await read(`HeadBucket ${name}`, () => deps.s3!.headBucket(name));
        if (head) d.bucket = { name, head };
      }
    }

    // Access reviews for what the run will do in the cluster.
    const queries = new Map<string, KubeAccessQuery>();
    const want = (q: KubeAccessQuery) => queries.set(JSON.stringify(q), q);
    for (const o of rel.objects) {
      const { group, resource } = resourceOf(o.ref);
      want({
        verb: 'delete',
        group,
        resource,
        ...(o.ref.namespace ? { namespace: o.ref.namespace } : {}),
      });
      want({
        verb: 'update',
        group,
        resource,
        ...(o.ref.namespace ? { namespace: o.ref.namespace } : {}),
      });
    }
    for (const o of scaleDownObjects(profile, rel))
      want({ verb: 'patch', group: 'apps', resource: 'deployments', namespace: o.namespace! });
    want({ verb: 'update', group: '', resource: 'secrets', namespace: rel.namespace });
    want({
      verb: 'create',
      group: 'coordination.k8s.io',
      resource: 'leases',
      namespace: opts.leaseNamespace ?? LEASE_NAMESPACE,
    });
    for (const q of queries.values()) {
      const answer = await read(`access review ${q.verb} ${q.resource}`, () => deps.kube.canI(q));
      if (answer) d.access.push({ ...q, ...answer });
    }
  }
  return d;
}

/** The version to install: requested, else the default for the Kubernetes version if it meets `min`, else the newest compatible one. */
export function chooseAddonVersion(
  catalog: AddonCatalogEntry,
  kubernetesVersion: string,
  opts: { requested?: string; min?: string } = {},
): string | undefined {
  const offered = compatibleVersions(catalog, kubernetesVersion);
  if (opts.requested === 'latest') return offered.latest;
  if (opts.requested && opts.requested !== 'default')
    return offered.compatible.includes(opts.requested) ? opts.requested : undefined;
  const ok = (v: string | undefined) =>
    v !== undefined && (!opts.min || compareAddonVersions(v, opts.min) >= 0);
  if (ok(offered.default)) return offered.default;
  return ok(offered.latest) ? offered.latest : undefined;
}

export function s3BucketName(value: string): string {
  return value.replace(/^s3:\/\//, '').split('/')[0]!;
}

export function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export function hyperpodId8(values: HelmValues): string | undefined {
  const arn = getPath(values, 'hyperpodClusterArn');
  if (typeof arn !== 'string' || !arn.includes('cluster/')) return undefined;
  return arn.slice(arn.lastIndexOf('/') + 1).slice(0, 8);
}

/** Where the profile's chart sits in this release, if it is there. */
function componentPath(profile: MigrationProfile, r: HelmRelease): string[] | undefined {
  if (profile.charts.includes(r.chart.name)) return [r.chart.name];
  const objects = manifestObjects(r.manifest, r.namespace);
  const paths = new Map<string, string[]>();
  for (const o of objects) paths.set(o.chartPath.join('/'), o.chartPath);
  // The shortest path ending in one of its names, under a chart that may carry it.
  const matches = [...paths.values()]
    .flatMap((p) =>
      p
        .map((_, i) => p.slice(0, i + 1))
        .filter(
          (sub) =>
            sub.length > 1 &&
            profile.subchartNames.includes(sub[sub.length - 1]!) &&
            profile.umbrellaCharts.includes(sub[sub.length - 2]!),
        ),
    )
    .sort((a, b) => a.length - b.length);
  return matches[0];
}

function subValues(values: HelmValues, chartPath: string[]): HelmValues {
  let cur: unknown = values;
  for (const k of chartPath.slice(1)) {
    cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
  }
  return cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as HelmValues) : {};
}

/** The component's own objects: its chart's templates and the sub-charts the add-on absorbs. */
export function componentObjects(
  profile: MigrationProfile,
  rel: DiscoveredRelease,
): ManifestObject[] {
  const p = rel.chartPath;
  return rel.objects.filter(
    (o) =>
      p.every((x, i) => o.chartPath[i] === x) &&
      (o.chartPath.length === p.length ||
        (o.chartPath.length === p.length + 1 &&
          profile.absorbedSubcharts.includes(o.chartPath[p.length]!))),
  );
}

/** Path of a dependency's sub-chart in the release, if it rendered objects there. */
function dependencyPath(rel: DiscoveredRelease, dep: MigrationProfile): string[] | undefined {
  const p = rel.chartPath;
  const o = rel.objects.find(
    (x) =>
      x.chartPath.length === p.length + 1 &&
      p.every((y, i) => x.chartPath[i] === y) &&
      dep.subchartNames.includes(x.chartPath[p.length]!),
  );
  return o?.chartPath;
}

export function dependencyObjects(rel: DiscoveredRelease, chartPath: string[]): ManifestObject[] {
  return rel.objects.filter(
    (o) =>
      o.chartPath.length >= chartPath.length && chartPath.every((x, i) => o.chartPath[i] === x),
  );
}

export function scaleDownObjects(profile: MigrationProfile, rel: DiscoveredRelease): KubeRef[] {
  const patterns = profile.scaleDown.map((s) => s.replace('{release}', rel.name));
  return componentObjects(profile, rel)
    .map((o) => o.ref)
    .filter(
      (ref) =>
        ref.kind === 'Deployment' &&
        patterns.some((pat) => {
          const [ns, name] = pat.split('/') as [string, string];
          return (ns === '*' || ns === ref.namespace) && name === ref.name;
        }),
    );
}

/** How a dependency is installed outside the release, if it is. */
async function externalInstall(
  kube: KubeGateway,
  addonName: string,
  rel: DiscoveredRelease,
): Promise<string | undefined> {
  const inRelease = new Set(rel.objects.map((o) => refKey(o.ref)));
  const csi = INFERENCE_PREREQUISITES.csiDrivers.find((c) => c.addonName === addonName);
  if (csi) {
    const ref = { apiVersion: 'storage.k8s.io/v1', kind: 'CSIDriver', name: csi.name };
    if (!inRelease.has(refKey(ref)) && (await kube.get(ref))) return `CSIDriver ${csi.name}`;
  }
  for (const w of componentForAddon(addonName)?.workloads ?? []) {
    if (w.name.includes('{release}')) continue;
    const found = await kube.list('apps/v1', w.kind, w.namespace ? { namespace: w.namespace } : {});
    const hit = found.find(
      (o: KubeObject) =>
        o.metadata.name === w.name &&
        !inRelease.has(
          refKey({
            apiVersion: 'apps/v1',
            kind: w.kind,
            namespace: o.metadata.namespace,
            name: w.name,
          }),
        ),
    );
    if (hit) return `${w.kind} ${hit.metadata.namespace}/${w.name}`;
  }
  return undefined;
}

async function discoverTagTargets(
  deps: DiscoverMigrationDeps,
  d: MigrationDiscovery,
  rel: DiscoveredRelease,
  read: <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>,
): Promise<void> {
  const certs = new Map<string, string>();
  const objects = new Map<string, { bucket: string; key: string; foundIn: string }>();
  const hostnames = new Map<string, string>();
  const defaultBucket = (() => {
    const v = getPath(rel.values, 'tlsCertificateS3Bucket');
    return typeof v === 'string' && v ? s3BucketName(v) : undefined;
  })();
  for (const kind of ['JumpStartModel', 'InferenceEndpointConfig']) {
    d.reads.push({ type: 'kube', apiVersion: `${GROUP}/v1`, kind, name: '*', namespace: '*' });
    const items = await read(`list ${kind}`, () => deps.kube.list(`${GROUP}/v1`, kind));
    for (const o of items ?? []) {
      const where = `${kind} ${o.metadata.namespace}/${o.metadata.name}`;
      const tls = (getPath(o, 'status.tlsCertificate') ?? {}) as Record<string, unknown>;
      for (const arn of [
        getPath(o, 'status.certificateArn'),
        tls['certificateARN'],
        tls['certificateArn'],
      ])
        if (typeof arn === 'string' && arn.startsWith('arn:')) certs.set(arn, where);
      const bucket =
        (typeof tls['tlsCertificateOutputS3Bucket'] === 'string'
          ? (tls['tlsCertificateOutputS3Bucket'] as string)
          : undefined) ??
        (typeof getPath(o, 'spec.tlsCertificateS3Bucket') === 'string'
          ? s3BucketName(getPath(o, 'spec.tlsCertificateS3Bucket') as string)
          : undefined) ??
        defaultBucket;
      const keys = Array.isArray(tls['tlsCertificateS3Keys']) ? tls['tlsCertificateS3Keys'] : [];
      for (const key of keys)
        if (typeof key === 'string' && bucket)
          objects.set(`${bucket}/${key}`, { bucket, key, foundIn: where });
    }
  }
  d.reads.push({
    type: 'kube',
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    name: '*',
    namespace: '*',
  });
  const ingresses = await read('list Ingress', () =>
    deps.kube.list('networking.k8s.io/v1', 'Ingress'),
  );
  for (const ing of ingresses ?? []) {
    const where = `Ingress ${ing.metadata.namespace}/${ing.metadata.name}`;
    const ann = ing.metadata.annotations?.['alb.ingress.kubernetes.io/certificate-arn'];
    for (const arn of (ann ?? '').split(',').map((s) => s.trim()))
      if (arn.startsWith('arn:')) certs.set(arn, where);
    const lbs = getPath(ing, 'status.loadBalancer.ingress');
    for (const lb of Array.isArray(lbs) ? lbs : []) {
      const host = (lb as { hostname?: unknown }).hostname;
      if (typeof host === 'string') hostnames.set(host.toLowerCase(), where);
    }
  }
  if (hostnames.size > 0 && deps.elbv2) {
    const all = await read('DescribeLoadBalancers', () => deps.elbv2!.describeLoadBalancers());
    const matched = (all ?? []).filter((lb) => hostnames.has(lb.dnsName.toLowerCase()));
    if (matched.length > 0) {
      const tags = await read('DescribeTags (load balancers)', () =>
        deps.elbv2!.getTags(matched.map((lb) => lb.arn)),
      );
      for (const lb of matched) {
        d.reads.push({ type: 'load-balancer', arn: lb.arn, name: lb.name });
        if (tags)
          d.tagTargets.push({
            target: { type: 'load-balancer', arn: lb.arn, name: lb.name },
            tags: tags[lb.arn] ?? {},
            foundIn: hostnames.get(lb.dnsName.toLowerCase())!,
          });
      }
    }
  }
  if (deps.acm)
    for (const [arn, where] of certs) {
      d.reads.push({ type: 'certificate', arn });
      const tags = await read(`ListTagsForCertificate ${arn}`, () => deps.acm!.listTags(arn));
      if (tags) d.tagTargets.push({ target: { type: 'certificate', arn }, tags, foundIn: where });
    }
  if (deps.s3)
    for (const { bucket, key, foundIn } of objects.values()) {
      d.reads.push({ type: 's3-object', bucket, key });
      const tags = await read(`GetObjectTagging s3://${bucket}/${key}`, () =>
        deps.s3!.getObjectTagging(bucket, key),
      );
      if (tags) d.tagTargets.push({ target: { type: 's3-object', bucket, key }, tags, foundIn });
    }
}

export function isNotFound(e: unknown): boolean {
  return e instanceof GatewayError && e.kind === 'NotFound';
}
