/**
 * A local fleet: one AWS endpoint (EKS, IAM, STS, S3, ELBv2, ACM, SageMaker) and one Kubernetes
 * API server per EKS cluster, on loopback ports chosen at start, seeded from a scenario.
 */
import { createHash, randomBytes } from 'node:crypto';
import { stringify as toYaml } from 'yaml';
import { Accounts } from './aws/Accounts';
import { AwsServer, type AwsCallStats } from './aws/AwsServer';
import type { AsyncTiming, ServiceContext } from './aws/ServiceContext';
import { AcmService } from './aws/acm/AcmService';
import { EksService } from './aws/eks/EksService';
import { Elbv2Service } from './aws/elbv2/Elbv2Service';
import { IamService } from './aws/iam/IamService';
import { S3Service } from './aws/s3/S3Service';
import { SageMakerService } from './aws/sagemaker/SageMakerService';
import { StsService } from './aws/sts/StsService';
import { Faults, type FaultSettings } from './faults/Faults';
import { KubeApiServer } from './kube/KubeApiServer';
import { KubeCluster } from './kube/KubeCluster';
import type { KubeObject } from './kube/types';
import { SANDBOX_CA_DATA } from './kube/sandboxTls';
import { resolveScenario, type Scenario } from './scenarios';
import { IamAuthorizer } from './aws/authorization/IamAuthorizer';
import { resourceTagsFrom } from './aws/authorization/resourceTags';
import {
  diffSnapshots,
  indexObjects,
  type SandboxSnapshot,
  type SnapshotDifference,
} from './snapshot/diffSnapshots';
import { copyAwsState, restoreAwsState, type AwsStateCopy } from './snapshot/restoreState';

/** What `restore` puts back, kept beside each snapshot (snapshots stay plain, comparable data). */
interface ExactState {
  aws: AwsStateCopy;
  kube: Map<string, Map<string, Map<string, KubeObject>>>;
}

export interface SandboxOptions {
  /** A scenario name (`demo`, `empty`, `fleet`) or a Scenario object. Default `demo`. */
  scenario?: string | Scenario;
  /** Options passed to the scenario (e.g. cluster count for `fleet`). */
  scenarioOptions?: Record<string, unknown>;
  faults?: FaultSettings;
  /** Time an add-on stays CREATING / UPDATING / DELETING, in ms (default 1500). */
  addonTransitionMs?: number;
  /** Check SigV4 signatures (default true). */
  verifySignatures?: boolean;
  /** Loopback address to listen on (default 127.0.0.1). */
  host?: string;
}

export interface SandboxAccount {
  accountId: string;
  alias: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** ARN of the IAM user the keys belong to. */
  principalArn: string;
}

export interface SandboxCluster {
  name: string;
  accountId: string;
  region: string;
  arn: string;
  kubernetesVersion: string;
  /** Kubernetes API URL (https, with the sandbox's own CA: `SANDBOX_CA_DATA`). */
  server: string;
  /** Bearer token for the Kubernetes API. */
  token: string;
  /** Context name in the generated kubeconfig. */
  context: string;
}

/** A kubeconfig `exec` credential plugin stanza. */
export interface KubeconfigExec {
  apiVersion: 'client.authentication.k8s.io/v1beta1';
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  interactiveMode: 'Never';
}

export interface ClusterSpec {
  /** Account alias or id (must have been added). */
  account: string;
  region: string;
  name: string;
  /** Kubernetes minor version, e.g. `1.31`. */
  version: string;
  platformVersion?: string;
  tags?: Record<string, string>;
}

interface RunningCluster {
  info: SandboxCluster;
  kube: KubeCluster;
  server: KubeApiServer;
}

export interface SandboxServices {
  eks: EksService;
  iam: IamService;
  sts: StsService;
  s3: S3Service;
  elbv2: Elbv2Service;
  acm: AcmService;
  sagemaker: SageMakerService;
}

export class Sandbox {
  readonly faults: Faults;
  readonly timing: AsyncTiming;
  readonly services: SandboxServices;
  /**
   * Opt-in IAM evaluation per account (scenarios and tests switch it on and give principals
   * their policies); off, every known key may do anything, as for the demo.
   */
  readonly authorization: IamAuthorizer;
  private readonly accountsById = new Map<string, SandboxAccount>();
  private readonly host: string;

  private constructor(
    private readonly clustersByKey: Map<string, RunningCluster>,
    private readonly registry: Accounts,
    private readonly aws: AwsServer,
    services: SandboxServices,
    faults: Faults,
    timing: AsyncTiming,
    host: string,
    readonly scenario: string,
    authorization: IamAuthorizer,
  ) {
    this.authorization = authorization;
    this.services = services;
    this.faults = faults;
    this.timing = timing;
    this.host = host;
  }

  /** Starts the AWS endpoint, then seeds the scenario (which starts the cluster API servers). */
  static async start(opts: SandboxOptions = {}): Promise<Sandbox> {
    const host = opts.host ?? '127.0.0.1';
    const registry = new Accounts();
    const faults = new Faults(opts.faults);
    const timing: AsyncTiming = { addonTransitionMs: opts.addonTransitionMs ?? 1500 };
    const clustersByKey = new Map<string, RunningCluster>();
    const ctx: ServiceContext = {
      accounts: registry,
      timing,
      kubeFor: (accountId, region, name) =>
        clustersByKey.get(clusterKey(accountId, region, name))?.kube,
    };
    const iam = new IamService(ctx);
    const services: SandboxServices = {
      eks: new EksService(ctx),
      iam,
      sts: new StsService(ctx, iam),
      s3: new S3Service(ctx),
      elbv2: new Elbv2Service(ctx),
      acm: new AcmService(ctx),
      sagemaker: new SageMakerService(ctx),
    };
    const authorization = new IamAuthorizer({
      identityPolicies: (principalArn) => iam.identityPolicies(principalArn),
      resourceTags: resourceTagsFrom({
        iam,
        eks: services.eks,
        s3: services.s3,
        elasticloadbalancing: services.elbv2,
        acm: services.acm,
      }),
    });
    iam.simulator = authorization;
    const aws = new AwsServer({
      accounts: registry,
      faults,
      services: Object.values(services),
      verifySignatures: opts.verifySignatures,
      authorize: (req, operation, protocol) => authorization.check(req, operation, protocol),
    });
    await aws.listen(0, host);
    const scenario = resolveScenario(opts.scenario ?? 'demo');
    const sandbox = new Sandbox(
      clustersByKey,
      registry,
      aws,
      services,
      faults,
      timing,
      host,
      scenario.name,
      authorization,
    );
    try {
      await scenario.seed(sandbox, opts.scenarioOptions ?? {});
    } catch (e) {
      await sandbox.stop();
      throw e;
    }
    return sandbox;
  }

  /** The AWS endpoint URL (`--endpoint-url`, SDK `endpoint`). */
  get awsEndpoint(): string {
    return this.aws.endpoint;
  }

  get accounts(): SandboxAccount[] {
    return [...this.accountsById.values()];
  }

  get clusters(): SandboxCluster[] {
    return [...this.clustersByKey.values()].map((c) => c.info);
  }

  account(aliasOrId: string): SandboxAccount {
    const a = this.accountsById.get(aliasOrId) ?? this.accounts.find((x) => x.alias === aliasOrId);
    if (!a) throw new Error(`sandbox: no account '${aliasOrId}'`);
    return a;
  }

  cluster(nameOrArn: string): SandboxCluster {
    return this.running(nameOrArn).info;
  }

  /** The Kubernetes store of a cluster, for seeding and assertions. */
  kube(nameOrArn: string): KubeCluster {
    return this.running(nameOrArn).kube;
  }

  /** Adds an account with long-term access keys (deterministic, so docs and scripts can show them). */
  addAccount(alias: string, accountId: string): SandboxAccount {
    if (!/^\d{12}$/.test(accountId))
      throw new Error(`sandbox: account id must be 12 digits, got '${accountId}'`);
    const accessKeyId = ('AKIASANDBOX' + accountId).slice(0, 20);
    const secretAccessKey = createHash('sha256')
      .update(`hyperpod-sandbox/${accountId}`)
      .digest('base64')
      .slice(0, 40);
    const principalArn = `arn:aws:iam::${accountId}:user/sandbox-admin`;
    this.registry.add({
      accessKeyId,
      secretAccessKey,
      accountId,
      principalArn,
      userId: 'AIDA' + accountId.slice(0, 12) + 'SANDBOX',
    });
    const acct = { accountId, alias, accessKeyId, secretAccessKey, principalArn };
    this.accountsById.set(accountId, acct);
    return acct;
  }

  /** Creates an EKS cluster and starts its Kubernetes API server. */
  async addCluster(spec: ClusterSpec): Promise<SandboxCluster> {
    const acct = this.account(spec.account);
    const key = clusterKey(acct.accountId, spec.region, spec.name);
    if (this.clustersByKey.has(key))
      throw new Error(`sandbox: cluster ${spec.name} already exists in ${spec.region}`);
    const kube = new KubeCluster({ name: spec.name, version: spec.version, region: spec.region });
    const token = randomBytes(24).toString('base64url');
    const server = new KubeApiServer(kube, {
      token,
      faults: this.faults,
      // `aws eks get-token` tokens are accepted from the account that owns the cluster.
      authorizeAwsToken: (accessKeyId) =>
        this.registry.get(accessKeyId)?.accountId === acct.accountId,
    });
    const url = await server.listen(0, this.host);
    const arn = `arn:aws:eks:${spec.region}:${acct.accountId}:cluster/${spec.name}`;
    this.services.eks.addCluster({
      accountId: acct.accountId,
      region: spec.region,
      name: spec.name,
      version: spec.version,
      endpoint: url,
      certificateAuthorityData: SANDBOX_CA_DATA,
      platformVersion: spec.platformVersion,
      tags: spec.tags,
    });
    const info: SandboxCluster = {
      name: spec.name,
      accountId: acct.accountId,
      region: spec.region,
      arn,
      kubernetesVersion: spec.version,
      server: url,
      token,
      context: spec.name,
    };
    this.clustersByKey.set(key, { info, kube, server });
    return info;
  }

  /**
   * A kubeconfig with one context per cluster (cluster and user entries named by ARN, as `aws eks
   * update-kubeconfig` does). Users carry the cluster's bearer token, or with `exec` a credential
   * plugin per context, which is how EKS kubeconfigs name the AWS profile behind each cluster.
   */
  kubeconfig(
    currentContext?: string,
    opts: { exec?: (c: SandboxCluster, account: SandboxAccount) => KubeconfigExec } = {},
  ): string {
    const clusters = this.clusters;
    const user = (c: SandboxCluster) =>
      opts.exec ? { exec: opts.exec(c, this.account(c.accountId)) } : { token: c.token };
    return toYaml({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      'current-context': currentContext ?? clusters[0]?.context ?? '',
      clusters: clusters.map((c) => ({
        name: c.arn,
        cluster: { server: c.server, 'certificate-authority-data': SANDBOX_CA_DATA },
      })),
      users: clusters.map((c) => ({ name: c.arn, user: user(c) })),
      contexts: clusters.map((c) => ({
        name: c.context,
        context: { cluster: c.arn, user: c.arn },
      })),
    });
  }

  /** Environment variables that point the aws CLI and the AWS SDK at this sandbox as `account`. */
  awsEnv(account?: string, region = 'us-east-1'): Record<string, string> {
    const a = account ? this.account(account) : this.accounts[0];
    if (!a) throw new Error('sandbox: no accounts');
    return {
      AWS_ENDPOINT_URL: this.awsEndpoint,
      AWS_ACCESS_KEY_ID: a.accessKeyId,
      AWS_SECRET_ACCESS_KEY: a.secretAccessKey,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
    };
  }

  /** SDK client options for `account` (`new EKSClient(sandbox.sdkConfig('prod'))`). */
  sdkConfig(account?: string, region = 'us-east-1') {
    const a = account ? this.account(account) : this.accounts[0];
    if (!a) throw new Error('sandbox: no accounts');
    return {
      endpoint: this.awsEndpoint,
      region,
      credentials: { accessKeyId: a.accessKeyId, secretAccessKey: a.secretAccessKey },
    };
  }

  /** Makes a credential expire now: its calls get ExpiredToken (tests of expired credentials). */
  expireCredentials(accessKeyId: string): void {
    this.registry.expire(accessKeyId);
  }

  awsCallStats(): AwsCallStats {
    return this.aws.callStats();
  }

  resetAwsCallStats(): void {
    this.aws.resetCallStats();
  }

  /** What `restore` puts back, per snapshot this sandbox took. */
  private readonly exactStates = new WeakMap<SandboxSnapshot, ExactState>();

  /** The whole fleet's state as plain data. */
  snapshot(): SandboxSnapshot {
    const aws: Record<string, unknown> = {};
    for (const [id, svc] of Object.entries(this.services)) {
      if (id !== 'sts') aws[id] = JSON.parse(JSON.stringify(svc.snapshot()));
    }
    const kube: SandboxSnapshot['kube'] = {};
    for (const c of this.clustersByKey.values()) kube[c.info.arn] = indexObjects(c.kube.all());
    const snap = { takenAt: new Date().toISOString(), aws, kube };
    this.exactStates.set(snap, {
      aws: copyAwsState(this.statefulServices()),
      kube: new Map([...this.clustersByKey.values()].map((c) => [c.info.arn, c.kube.copyStore()])),
    });
    return snap;
  }

  /**
   * Puts the whole fleet back to a snapshot this sandbox took: every AWS service's state and every
   * cluster's objects. Kubernetes objects that changed are written back with new resourceVersions
   * (watches see DELETED / ADDED / MODIFIED events), so `diff(snapshot)` is empty afterwards.
   * Refused while an add-on transition is in flight, or for a snapshot from elsewhere.
   */
  restore(snapshot: SandboxSnapshot): void {
    const exact = this.exactStates.get(snapshot);
    if (!exact) throw new Error('sandbox restore: not a snapshot this sandbox took');
    restoreAwsState(this.statefulServices(), exact.aws);
    for (const c of this.clustersByKey.values()) {
      const objects = exact.kube.get(c.info.arn);
      if (objects) c.kube.restoreStore(objects);
    }
  }

  /** The services whose state a snapshot holds (STS issues credentials; it has no state to compare). */
  private statefulServices(): Record<string, object> {
    return Object.fromEntries(Object.entries(this.services).filter(([id]) => id !== 'sts'));
  }

  /** Differences between an earlier snapshot and now (or two snapshots). */
  diff(before: SandboxSnapshot, after: SandboxSnapshot = this.snapshot()): SnapshotDifference[] {
    return diffSnapshots(before, after);
  }

  async stop(): Promise<void> {
    this.services.eks.close();
    await Promise.all([
      this.aws.close(),
      ...[...this.clustersByKey.values()].map((c) => c.server.close()),
    ]);
  }

  private running(nameOrArn: string): RunningCluster {
    for (const c of this.clustersByKey.values()) {
      if (c.info.arn === nameOrArn || c.info.name === nameOrArn || c.info.context === nameOrArn)
        return c;
    }
    throw new Error(`sandbox: no cluster '${nameOrArn}'`);
  }
}

function clusterKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}

export const startSandbox = (opts?: SandboxOptions) => Sandbox.start(opts);
