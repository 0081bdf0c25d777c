/**
 * The one place the CLI meets the adapters: kubeconfig contexts and fleet files become
 * ClusterTargets; targets become ClusterReports through the core's scan pipeline on the real AWS
 * SDK and client-node. The commands import this module statically, but it loads the adapters
 * (and through them the SDKs) only inside its functions, so `--help` never pays for them.
 */
import type {
  ClusterIdentity,
  ClusterReport,
  ClusterTarget,
  EksGateway,
  KubeGateway,
  MigrationGateways,
  MigrationStore,
  ScanError,
} from '@hyperpod/core';
import { awsProfileOfExec, compareText, type ExecUser } from '@hyperpod/core';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { LoadedKubeconfig } from '@hyperpod/core-node';
import { ADDON_VERSIONS_SCHEMA_VERSION, type AddonVersionsReport } from './AddonVersionsReport';
import { CliError, configError } from './CliError';
import type { CommandLine } from './CommandLine';
import { closest } from './validateNames';
import { cacheDir } from './launcher';

export interface TargetSelection {
  kubeconfig?: string;
  context?: string;
  clusters: string[];
  allClusters: boolean;
  fleet?: string;
  region?: string;
  profile?: string;
}

export interface ScanOptions {
  timeoutMs: number;
  concurrency: number;
  /**
   * EKS requests per second per account and region, fixed (`--rate-limit`); undefined = the rate
   * each account and region is learned (remembered in the CLI's cache directory).
   */
  rateLimit?: number;
  onProgress?: (done: number, total: number) => void;
}

type CoreNode = typeof import('@hyperpod/core-node');
type Core = typeof import('@hyperpod/core');

const coreNode = (): Promise<CoreNode> => import('@hyperpod/core-node');
const core = (): Promise<Core> => import('@hyperpod/core');

/** A target with the kubeconfig it was found in, so scans can build a gateway for its context. */
interface Resolved {
  targets: ClusterTarget[];
  kubeconfig?: LoadedKubeconfig;
  sourceErrors?: SourceErrors;
}

/** Fleet sources that could not be read (a discovery account/region), shown like scan errors. */
export type SourceErrors = { cluster: ClusterIdentity; errors: ScanError[] }[];

export interface ResolvedTargets {
  targets: ClusterTarget[];
  sourceErrors: SourceErrors;
}

const resolvedKubeconfigs = new WeakMap<ClusterTarget, LoadedKubeconfig>();

/**
 * Chooses the clusters: `--fleet` entries, else kubeconfig contexts (`--context`, `--cluster`
 * names, `-A` for all, or the current context). Every "not found" lists what exists and prints
 * the corrected command.
 */
export async function resolveTargets(
  sel: TargetSelection,
  cl: CommandLine,
  timeoutMs: number,
): Promise<ResolvedTargets> {
  const r = sel.fleet ? await fromFleetFile(sel, cl, timeoutMs) : await fromKubeconfig(sel, cl);
  const envRegion = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const out: ClusterTarget[] = [];
  for (const t of r.targets) {
    const target: ClusterTarget = {
      ...t,
      region: t.region ?? sel.region ?? envRegion,
      ...(sel.profile !== undefined ? { profile: sel.profile } : {}),
    };
    if (target.region === undefined) {
      throw configError(
        `no AWS region known for cluster "${t.name}"`,
        cl.with({ region: 'us-east-1' }),
      );
    }
    if (r.kubeconfig && target.context) resolvedKubeconfigs.set(target, r.kubeconfig);
    out.push(target);
  }
  if (out.length === 0 && (r.sourceErrors ?? []).length === 0) {
    throw configError(
      `fleet file ${sel.fleet} names no clusters`,
      `${cl.with({ fleet: '<fleet.yaml>' })}  # the format is in docs/cli.md#fleet-files`,
    );
  }
  return { targets: out, sourceErrors: r.sourceErrors ?? [] };
}

/**
 * The cluster names the user has, for "did you mean": the fleet file's, else the EKS clusters of
 * the kubeconfig's contexts. Nothing (not an error) when they cannot be read.
 */
export async function knownClusterNames(sel: {
  kubeconfig?: string;
  fleet?: string;
}): Promise<string[]> {
  try {
    const { loadFleetFile, loadKubeconfig, contextToEksCluster } = await coreNode();
    if (sel.fleet) return (await loadFleetFile(sel.fleet)).clusters.map((c) => c.name);
    const kc = await loadKubeconfig({ kubeconfig: sel.kubeconfig });
    const names = kc.contexts.flatMap(
      (c) => contextToEksCluster(kc.kubeConfig, c.name)?.name ?? [],
    );
    return [...new Set(names)];
  } catch {
    return [];
  }
}

async function loadKubeconfigOrFail(
  sel: TargetSelection,
  cl: CommandLine,
  context?: string,
): Promise<LoadedKubeconfig> {
  const { loadKubeconfig, KubeconfigError } = await coreNode();
  try {
    return await loadKubeconfig({ kubeconfig: sel.kubeconfig, context });
  } catch (e) {
    if (!(e instanceof KubeconfigError)) throw e;
    const path = e.paths.join(':');
    switch (e.reason) {
      case 'FileMissing':
        throw configError(
          `kubeconfig ${path} does not exist`,
          sel.kubeconfig
            ? cl.with({ kubeconfig: '<path to an existing kubeconfig>' })
            : `aws eks update-kubeconfig --name <cluster> --region <region>`,
        );
      case 'NotAFile':
        throw configError(
          e.message,
          sel.kubeconfig
            ? cl.with({ kubeconfig: `${path.replace(/\/+$/, '')}/config` })
            : `KUBECONFIG=${path.replace(/\/+$/, '')}/config ${cl.toString()}`,
        );
      case 'Empty':
        throw configError(
          e.message,
          'aws eks update-kubeconfig --name <cluster> --region <region>',
        );
      case 'Malformed':
        throw configError(
          e.message,
          `kubectl config view --kubeconfig ${path}  # shows what is wrong; or regenerate it: aws eks update-kubeconfig --name <cluster> --region <region>`,
        );
      case 'UnknownContext': {
        const asked = context ?? e.context ?? '';
        const guess = closest(asked, e.knownContexts) ?? e.knownContexts[0];
        const known = e.knownContexts.length
          ? ` (known: ${e.knownContexts.join(', ')})`
          : ' (it has no contexts)';
        throw configError(
          context === undefined
            ? `current-context "${asked}" of ${path} is not one of its contexts${known}`
            : `context "${context}" not found in ${path}${known}`,
          guess
            ? cl.with({ context: guess })
            : 'aws eks update-kubeconfig --name <cluster> --region <region>',
        );
      }
      case 'NoCurrentContext': {
        const first = e.knownContexts[0];
        throw configError(
          `kubeconfig ${path} has no current context${e.knownContexts.length ? ` (known: ${e.knownContexts.join(', ')})` : ''}`,
          first
            ? cl.with({ context: first })
            : 'aws eks update-kubeconfig --name <cluster> --region <region>',
        );
      }
    }
  }
}

async function fromKubeconfig(sel: TargetSelection, cl: CommandLine): Promise<Resolved> {
  // `--cluster X --region R` needs no kubeconfig: AWS-side reads only when X has no context.
  let kc: LoadedKubeconfig;
  try {
    kc = await loadKubeconfigOrFail(sel, cl, sel.context);
  } catch (e) {
    if (
      e instanceof CliError &&
      sel.clusters.length > 0 &&
      sel.region !== undefined &&
      /does not exist/.test(e.message)
    ) {
      return { targets: sel.clusters.map((name) => ({ name, region: sel.region })) };
    }
    throw e;
  }
  const { contextToEksCluster } = await coreNode();
  const path = kc.paths.join(':');
  const eksContexts = kc.contexts.flatMap((c) => {
    const id = contextToEksCluster(kc.kubeConfig, c.name);
    return id ? [{ context: c.name, id, profile: profileOfContext(kc.kubeConfig, c.name) }] : [];
  });
  const toTarget = (e: (typeof eksContexts)[number]): ClusterTarget => ({
    name: e.id.name,
    region: e.id.region,
    accountId: e.id.accountId,
    arn: e.id.arn,
    context: e.context,
    ...(e.profile ? { profile: e.profile } : {}),
  });

  if (sel.allClusters) {
    if (eksContexts.length === 0) {
      throw configError(
        `no context in ${path} points at an EKS cluster`,
        'aws eks update-kubeconfig --name <cluster> --region <region>',
      );
    }
    // One cluster reached through several contexts is scanned once.
    const seen = new Set<string>();
    return {
      kubeconfig: kc,
      targets: eksContexts
        .filter((e) => !seen.has(e.id.arn ?? e.context) && seen.add(e.id.arn ?? e.context))
        .map(toTarget),
    };
  }
  if (sel.clusters.length > 0) {
    const targets: ClusterTarget[] = [];
    const known = [...new Set(eksContexts.map((e) => e.id.name))];
    for (const name of sel.clusters) {
      const match = eksContexts.find(
        (e) => e.id.name === name && (sel.region === undefined || e.id.region === sel.region),
      );
      if (match) targets.push(toTarget(match));
      else if (sel.region !== undefined) targets.push({ name, region: sel.region });
      else {
        const guess = closest(name, known);
        throw configError(
          `cluster "${name}" not found in ${path}${known.length ? ` (known: ${known.join(', ')})` : ''}`,
          guess
            ? cl.with({ cluster: guess })
            : `aws eks update-kubeconfig --name ${name} --region <region>`,
        );
      }
    }
    return { kubeconfig: kc, targets };
  }
  const current = eksContexts.find((e) => e.context === kc.currentContext);
  if (!current) {
    const other = eksContexts[0]?.context;
    throw configError(
      `context "${kc.currentContext}" in ${path} does not point at an EKS cluster`,
      other
        ? cl.with({ context: other })
        : 'aws eks update-kubeconfig --name <cluster> --region <region>',
    );
  }
  return { kubeconfig: kc, targets: [toTarget(current)] };
}

/**
 * The AWS profile `aws eks update-kubeconfig --profile P` records in the context's user, read by
 * core's awsProfileOfExec (`--profile` over AWS_PROFILE, as the AWS CLI reads them): the
 * credentials that reach the cluster reach its account too.
 */
function profileOfContext(kubeConfig: KubeConfig, context: string): string | undefined {
  const ctx = kubeConfig.getContextObject(context);
  const user = ctx ? kubeConfig.getUser(ctx.user) : undefined;
  return awsProfileOfExec(user?.exec as ExecUser | undefined);
}

async function fromFleetFile(
  sel: TargetSelection,
  cl: CommandLine,
  timeoutMs: number,
): Promise<Resolved> {
  const { loadFleetFile, FleetFileError, fleetTargets } = await coreNode();
  let file: Awaited<ReturnType<typeof loadFleetFile>>;
  try {
    file = await loadFleetFile(sel.fleet!);
  } catch (e) {
    if (!(e instanceof FleetFileError)) throw e;
    const more =
      e.problems.length > 1
        ? ` (and ${e.problems.length - 1} more problem${e.problems.length > 2 ? 's' : ''})`
        : '';
    throw configError(
      `bad fleet file: ${e.problems[0]}${more}`,
      `${cl.with({ fleet: '<fleet.yaml>' })}  # the format is in docs/cli.md#fleet-files`,
    );
  }
  // `discover:` entries list clusters through EKS ListClusters (with the entry's role or profile).
  const gateways = await awsGateways(timeoutMs);
  const found = await fleetTargets(file, async (scope) => ({ eks: gateways.eksFor(scope) }), {
    hyperpod: false,
  });
  let targets = found.targets;
  const sourceErrors: SourceErrors = found.errors.map((f) => ({
    cluster: {
      name: `${f.source} ${f.accountId ?? 'default account'} ${f.region ?? ''}`.trim(),
      accountId: f.accountId,
      region: f.region,
    },
    errors: [{ ...f.error, step: f.source === 'discover' ? 'list clusters' : f.source }],
  }));
  if (sel.clusters.length > 0) {
    const known = targets.map((t) => t.name);
    for (const name of sel.clusters) {
      if (!known.includes(name)) {
        const guess = closest(name, known);
        throw configError(
          `cluster "${name}" not found in fleet file ${sel.fleet} (known: ${known.join(', ')})`,
          guess ? cl.with({ cluster: guess }) : cl.with({ cluster: undefined }),
        );
      }
    }
    targets = targets.filter((t) => sel.clusters.includes(t.name));
  }
  // Contexts named in the fleet file come from the kubeconfig; without any, AWS-side reads only.
  if (!targets.some((t) => t.context)) return { targets, sourceErrors };
  const kubeconfig = await loadKubeconfigOrFail(sel, cl, undefined);
  const names = new Set(kubeconfig.contexts.map((c) => c.name));
  const missing = targets.find((t) => t.context && !names.has(t.context));
  if (missing) {
    throw configError(
      `context "${missing.context}" of cluster ${missing.name} in ${sel.fleet} not found in ${kubeconfig.paths.join(':')} (known: ${[...names].join(', ')})`,
      `aws eks update-kubeconfig --name ${missing.name} --region ${missing.region ?? '<region>'} --alias ${missing.context}`,
    );
  }
  return { kubeconfig, targets, sourceErrors };
}

/** A client-node gateway on the target's context (core-node mints EKS tokens in-process). */
async function kubeGatewayFor(
  target: ClusterTarget,
  timeoutMs: number,
): Promise<KubeGateway | undefined> {
  const loaded = resolvedKubeconfigs.get(target);
  if (!loaded || !target.context) return undefined;
  const { kubeGatewayForContext } = await coreNode();
  return kubeGatewayForContext(loaded, target.context, { requestTimeoutMs: timeoutMs });
}

interface Gateways {
  eksFor(target: {
    region?: string;
    accountId?: string;
    profile?: string;
    roleArn?: string;
  }): EksGateway;
  /** Loads the SDK behind `eksFor(target)` without calling AWS. */
  prepareEksFor(target: {
    region?: string;
    accountId?: string;
    profile?: string;
    roleArn?: string;
  }): Promise<void>;
}

/**
 * The pacer of this run: `--rate-limit` fixed, else the learned rate of each account and region,
 * remembered for the next run in the CLI's cache directory.
 */
async function pacerFor(rateLimit: number | undefined): Promise<InstanceType<Core['Pacer']>> {
  const { Pacer } = await core();
  if (rateLimit) return new Pacer({ fixedRate: rateLimit });
  const { FilePacingStore } = await coreNode();
  return new Pacer({ store: new FilePacingStore(cacheDir()) });
}

/**
 * EKS gateways without the SDK's retries: the scan's one retry layer is core's (scanClusters),
 * which retries a throttled call at the pacer's next token.
 */
async function awsGateways(timeoutMs: number, sdkRetries = false): Promise<Gateways> {
  const { AwsClients } = await coreNode();
  const clients = new AwsClients({
    requestTimeoutMs: timeoutMs,
    ...(sdkRetries ? {} : { maxAttempts: 1 }),
  });
  const options = (t: Parameters<Gateways['eksFor']>[0]) => ({
    region: t.region!,
    accountId: t.accountId,
    profile: t.profile,
    roleArn: t.roleArn,
  });
  return {
    eksFor: (t) => clients.gateways(options(t)).eks,
    prepareEksFor: (t) => clients.prepareEks(options(t)),
  };
}

/** Scans every target; reports come back sorted by cluster name, whatever order they finished in. */
export async function scanTargets(
  targets: ClusterTarget[],
  opts: ScanOptions,
): Promise<ClusterReport[]> {
  const { scanClusters } = await core();
  const [gateways, pacer] = await Promise.all([
    awsGateways(opts.timeoutMs),
    pacerFor(opts.rateLimit),
  ]);
  const reports: ClusterReport[] = [];
  opts.onProgress?.(0, targets.length);
  const scan = scanClusters(
    targets,
    {
      eks: (t) => gateways.eksFor(t),
      // The gateway runs an exec credential plugin (`aws eks get-token`) once for its parallel
      // reads (ClientNodeKubeGateway), so the reads need no request ahead of them.
      kube: (t) => kubeGatewayFor(t, opts.timeoutMs),
      prepare: (t) => gateways.prepareEksFor(t),
      pacer,
    },
    { concurrency: opts.concurrency, timeoutMs: opts.timeoutMs },
  );
  try {
    for await (const report of scan) {
      reports.push(report);
      opts.onProgress?.(reports.length, targets.length);
    }
  } finally {
    await pacer.close();
  }
  return reports.sort(
    (a, b) =>
      compareText(a.cluster.name, b.cluster.name) ||
      compareText(a.cluster.region ?? '', b.cluster.region ?? ''),
  );
}

/**
 * For `addons versions NAME`: per target, the cluster's Kubernetes version (DescribeCluster),
 * the installed version (DescribeAddon) and every offered version (DescribeAddonVersions).
 * A name EKS does not offer at all is a configuration error listing the add-ons it does offer.
 */
export async function listAddonVersions(
  targets: ClusterTarget[],
  addonName: string,
  opts: ScanOptions,
  cl: CommandLine,
): Promise<AddonVersionsReport[]> {
  const { addonVersionsOffered, GatewayError, PacedEksGateway, pacingScope } = await core();
  // A few calls per cluster outside the scan loop: the SDK's retries are their one retry layer,
  // the same pacer as a scan spaces them.
  const [gateways, pacer] = await Promise.all([
    awsGateways(opts.timeoutMs, true),
    pacerFor(opts.rateLimit),
  ]);
  const one = async (t: ClusterTarget): Promise<AddonVersionsReport> => {
    const eks = new PacedEksGateway(gateways.eksFor(t), pacer, pacingScope(t));
    const base: AddonVersionsReport = {
      schemaVersion: ADDON_VERSIONS_SCHEMA_VERSION,
      cluster: {
        name: t.name,
        arn: t.arn,
        accountId: t.accountId,
        region: t.region,
        context: t.context,
      },
      addonName,
      versions: [],
      errors: [],
    };
    let step = 'describe cluster';
    try {
      const cluster = await eks.describeCluster(t.name);
      base.cluster = {
        ...base.cluster,
        arn: cluster.arn,
        accountId: cluster.accountId,
        kubernetesVersion: cluster.version,
      };
      base.kubernetesVersion = cluster.version;
      step = 'describe add-on versions';
      const entries = await eks.describeAddonVersions({ addonName });
      step = 'describe add-on';
      const installed = await eks.describeAddon(t.name, addonName);
      const entry = entries.find((e) => e.addonName === addonName);
      if (!entry || entry.versions.length === 0) {
        const offered = (await eks.describeAddonVersions({ kubernetesVersion: cluster.version }))
          .map((e) => e.addonName)
          .sort();
        const guess = closest(addonName, offered);
        throw configError(
          `add-on "${addonName}" is not offered by EKS in ${t.region}${offered.length ? ` (known: ${offered.join(', ')})` : ''}`,
          guess
            ? cl.withArgument(addonName, guess)
            : 'aws eks describe-addon-versions --query "addons[].addonName"',
        );
      }
      const offered = addonVersionsOffered(entry, cluster.version, installed?.addonVersion);
      base.installed = offered.installed;
      base.default = offered.default;
      base.latest = offered.latest;
      base.versions = offered.versions;
    } catch (e) {
      if (e instanceof CliError) throw e;
      if (e instanceof GatewayError) base.errors.push({ ...e.toJSON(), step });
      else throw e;
    }
    return base;
  };
  const out: AddonVersionsReport[] = [];
  try {
    for (let i = 0; i < targets.length; i += opts.concurrency) {
      out.push(...(await Promise.all(targets.slice(i, i + opts.concurrency).map(one))));
    }
  } finally {
    await pacer.close();
  }
  return out;
}

/** What a migration needs for one cluster: its AWS gateways and a Kubernetes gateway on its context. */
export interface MigrationWiringOptions {
  /** Time one AWS or Kubernetes request may take. */
  timeoutMs: number;
}

/**
 * The gateways `discoverMigration` and the executor use for one resolved target: EKS, IAM, S3,
 * ELBv2 and ACM for its account, region and profile (the AwsClients path the scan uses), and the
 * scan's client-node gateway on its kubeconfig context. A target without a context cannot be
 * migrated: the run reads Helm releases and changes objects in the cluster.
 */
export async function migrationGatewaysFor(
  target: ClusterTarget,
  opts: MigrationWiringOptions,
  cl: CommandLine,
): Promise<MigrationGateways> {
  const kube = await kubeGatewayFor(target, opts.timeoutMs);
  if (!kube) {
    throw configError(
      `cluster ${target.name} has no kubeconfig context: a migration reads and changes objects in the cluster`,
      `aws eks update-kubeconfig --name ${target.name}${target.region ? ` --region ${target.region}` : ''}${target.profile ? ` --profile ${target.profile}` : ''}  # then: ${cl.toString()}`,
    );
  }
  const { AwsClients } = await coreNode();
  const aws = new AwsClients({ requestTimeoutMs: opts.timeoutMs }).gateways({
    region: target.region!,
    accountId: target.accountId,
    profile: target.profile,
    roleArn: target.roleArn,
  });
  return {
    eks: aws.eks,
    iam: aws.iam,
    s3: aws.s3,
    elbv2: aws.elbv2,
    acm: aws.acm,
    sts: aws.sts,
    kube,
  };
}

/** Where migration runs (plan, backup, journal) are kept: `--backup-dir`, else the default root. */
export async function migrationStore(
  root: string | undefined,
): Promise<MigrationStore & { readonly root: string }> {
  const { FileMigrationStore } = await coreNode();
  return new FileMigrationStore(root === undefined ? {} : { root });
}

/** What an upgrade needs for one cluster: EKS for its account and region, and (to run) Kubernetes. */
export interface UpgradeGateways {
  eks: EksGateway;
  /** The cluster's API, where the upgrade lock (a Lease) lives; undefined when not asked for. */
  kube?: KubeGateway;
}

/**
 * The gateways `prepareUpgrade` and `runUpgradeLocked` use for one resolved target: EKS for its
 * account, region and profile, and with `kube` the client-node gateway on its kubeconfig context.
 * A plan only reads EKS; a run takes the add-on's upgrade lock in the cluster, so a target
 * without a context cannot be upgraded.
 */
export async function upgradeGatewaysFor(
  target: ClusterTarget,
  opts: MigrationWiringOptions & { kube: boolean },
  cl: CommandLine,
): Promise<UpgradeGateways> {
  const kube = opts.kube ? await kubeGatewayFor(target, opts.timeoutMs) : undefined;
  if (opts.kube && !kube) {
    throw configError(
      `cluster ${target.name} has no kubeconfig context: an upgrade holds a lock (a Lease) in the cluster while it runs`,
      `aws eks update-kubeconfig --name ${target.name}${target.region ? ` --region ${target.region}` : ''}${target.profile ? ` --profile ${target.profile}` : ''}  # then: ${cl.toString()}`,
    );
  }
  const { AwsClients } = await coreNode();
  const { eks } = new AwsClients({ requestTimeoutMs: opts.timeoutMs }).gateways({
    region: target.region!,
    accountId: target.accountId,
    profile: target.profile,
    roleArn: target.roleArn,
  });
  return { eks, ...(kube ? { kube } : {}) };
}
