/**
 * Everything a migration plan is computed from, read through the gateways and nothing changed:
 * the Helm release (in whatever namespace it really is, alone or as a sub-chart), its objects as
 * they are live, the add-ons and their versions and schemas for this cluster's Kubernetes
 * version, the IAM roles the values name and the ones the add-on needs, the TLS bucket, the
 * certificates / load balancers / certificate objects to tag and their current tags, and access
 * reviews for what the run will do. A read that fails is recorded in `readErrors` (and blocks the
 * plan), never swallowed.
 */
import { HelmReleaseGateway } from '../helm/HelmReleaseGateway';
import { helmReleaseSecretName, type HelmRelease } from '../helm/HelmRelease';
import { GatewayError } from '../ports/GatewayError';
import type { KubeAccessQuery } from '../ports/KubeGateway';
import type { PolicyDocument } from '../ports/IamGateway';
import type { ScanError } from '../report/ClusterReport';
import { toScanError } from '../scan/observeCluster';
import { withRetry, type RetryOptions } from '../scan/withRetry';
import { chooseAddonVersion } from './chooseAddonVersion';
import { componentChartPath, dependencyChartPath, scaleDownObjects } from './componentObjects';
import { discoverReleaseObjects } from './discoverReleaseObjects';
import { discoverTagTargets } from './discoverTagTargets';
import type { MigrationGateways } from './ExecuteMigrationDeps';
import { findExternalInstall } from './findExternalInstall';
import { hyperpodId8, roleNameOf, s3BucketName, valuesAt } from './helmValueNames';
import { getPath, refKey, resourceOf } from './manifest';
import type { DependencyState, DiscoveredRelease, MigrationDiscovery } from './MigrationDiscovery';
import type { ResourceRef } from './MigrationPlan';
import { findProfile, type MigrationProfile } from './profiles';

/** The gateways discovery reads through (never the caller's identity: that is the preflight's). */
export interface DiscoverMigrationDeps extends Omit<MigrationGateways, 'sts'> {
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
    const path = componentChartPath(profile, r);
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
      values: valuesAt(r.values, pick.chartPath.slice(1)),
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
      const helmPath = dependencyChartPath(rel, depProfile);
      const state: DependencyState = { addonName: depProfile.addonName };
      if (helmPath) state.helmChartPath = helmPath;
      else {
        const ext = await read(`look for ${depProfile.addonName}`, () =>
          findExternalInstall(deps.kube, depProfile.addonName, rel),
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
    const queries = migrationAccessQueries(profile, rel, opts.leaseNamespace ?? LEASE_NAMESPACE);
    for (const q of queries) {
      const answer = await read(`access review ${q.verb} ${q.resource}`, () => deps.kube.canI(q));
      if (answer) d.access.push({ ...q, ...answer });
    }
  }
  return d;
}

/** What a migration run does in the cluster, each once: the access reviews discovery asks for. */
function migrationAccessQueries(
  profile: MigrationProfile,
  rel: DiscoveredRelease,
  leaseNamespace: string,
): KubeAccessQuery[] {
  const queries = new Map<string, KubeAccessQuery>();
  const want = (q: KubeAccessQuery) => queries.set(JSON.stringify(q), q);
  for (const o of rel.objects) {
    const { group, resource } = resourceOf(o.ref);
    const namespace = o.ref.namespace ? { namespace: o.ref.namespace } : {};
    for (const verb of ['delete', 'update']) want({ verb, group, resource, ...namespace });
  }
  for (const o of scaleDownObjects(profile, rel))
    want({ verb: 'patch', group: 'apps', resource: 'deployments', namespace: o.namespace! });
  want({ verb: 'update', group: '', resource: 'secrets', namespace: rel.namespace });
  want({
    verb: 'create',
    group: 'coordination.k8s.io',
    resource: 'leases',
    namespace: leaseNamespace,
  });
  return [...queries.values()];
}

export function isNotFound(e: unknown): boolean {
  return e instanceof GatewayError && e.kind === 'NotFound';
}
