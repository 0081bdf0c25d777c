/**
 * The sandbox's EKS behind its own endpoint for the eks*.test.ts suites, with the clusters they
 * share (each suite starts its own, so none depends on what another did) and the helpers they use.
 * The bindings below are set by `useEksSandbox`'s beforeAll.
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { EksService } from '@hyperpod/sandbox/testing';
import { KubeCluster } from '@hyperpod/sandbox';
import { startAwsHarness, type AwsHarness } from '../support/awsHarness';

export const REGION = 'us-east-1';
export const INFERENCE = 'amazon-sagemaker-hyperpod-inference';

export let h: AwsHarness<{ eks: EksService }>;
export let eks: EksService;
export let client: EKSClient;
export let strict: EKSClient;
const kubes = new Map<string, KubeCluster>();
export let acct: string;

export function inferenceConfig(extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    executionRoleArn: `arn:aws:iam::${acct}:role/SageMakerHyperPodInference-abcd1234-execution-role`,
    tlsCertificateS3Bucket: `hyperpod-tls-${acct}`,
    hyperpodClusterArn: `arn:aws:sagemaker:${REGION}:${acct}:cluster/abcd1234efgh`,
    ...extra,
  });
}

export function addCluster(
  name: string,
  version: string,
  opts: { kube?: boolean; region?: string; account?: number; status?: 'ACTIVE' | 'UPDATING' } = {},
) {
  const accountId = h.accounts[opts.account ?? 0]!.accountId;
  const region = opts.region ?? REGION;
  eks.addCluster({
    accountId,
    region,
    name,
    version,
    endpoint: `http://127.0.0.1:6443/${name}`,
    status: opts.status,
    tags: { team: 'ml-platform' },
  });
  if (opts.kube !== false)
    kubes.set(`${accountId}/${region}/${name}`, new KubeCluster({ name, version }));
}

export const kubeOf = (name: string) => kubes.get(`${acct}/${REGION}/${name}`)!;
export const settle = (clusterName: string, addonName: string) =>
  eks.settled({ accountId: acct, region: REGION, clusterName, addonName });
export const managers = (o: { metadata: { managedFields?: { manager: string }[] } } | undefined) =>
  (o?.metadata.managedFields ?? []).map((m) => m.manager);

export async function rejection(p: Promise<unknown>): Promise<{
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
  [k: string]: unknown;
}> {
  try {
    await p;
  } catch (e) {
    return e as never;
  }
  throw new Error('expected the call to fail');
}

/** Starts the sandbox's EKS with the shared clusters before the suite, and stops it after. */
export function useEksSandbox(): void {
  beforeAll(async () => {
    h = await startAwsHarness((ctx) => ({ eks: new EksService(ctx) }));
    eks = h.services.eks;
    acct = h.accounts[0]!.accountId;
    h.ctx.kubeFor = (a, r, n) => kubes.get(`${a}/${r}/${n}`);
    client = new EKSClient(h.clientConfig(REGION));
    strict = new EKSClient({ ...h.clientConfig(REGION), maxAttempts: 1 });
    addCluster('ml-prod', '1.31');
    addCluster('ml-legacy', '1.28');
    addCluster('ml-edge', '1.33');
    addCluster('ml-batch', '1.30');
    addCluster('ml-upgrading', '1.31', { status: 'UPDATING' });
    addCluster('ml-west', '1.31', { region: 'us-west-2' });
    addCluster('other-account', '1.31', { account: 1 });
  });

  afterAll(async () => {
    eks?.close();
    client?.destroy();
    strict?.destroy();
    await h?.stop();
  });
}
