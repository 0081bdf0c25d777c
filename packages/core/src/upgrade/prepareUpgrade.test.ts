import type { AddonCatalogEntry } from '../addons/addonDrift';
import type { EksGateway } from '../ports/EksGateway';
import { InMemoryEksGateway } from '../testing/InMemoryEksGateway';
import { AddonNotInstalledError, prepareUpgrade } from './prepareUpgrade';

const CLUSTER = 'ml-staging-usw2';
const INFERENCE = 'amazon-sagemaker-hyperpod-inference';
const compat = (versions: string[], def?: string) =>
  versions.map((clusterVersion) => ({ clusterVersion, defaultVersion: clusterVersion === def }));
// Shaped like DescribeAddonVersions (one default per Kubernetes version).
const vpcCni: AddonCatalogEntry = {
  addonName: 'vpc-cni',
  versions: [
    { addonVersion: 'v1.21.0-eksbuild.1', compatibilities: compat(['1.32', '1.33']) },
    { addonVersion: 'v1.20.0-eksbuild.1', compatibilities: compat(['1.30', '1.31', '1.32']) },
    {
      addonVersion: 'v1.19.5-eksbuild.3',
      compatibilities: compat(['1.29', '1.30', '1.31', '1.32'], '1.31'),
    },
    {
      addonVersion: 'v1.18.6-eksbuild.1',
      compatibilities: compat(['1.28', '1.29', '1.30', '1.31']),
    },
  ],
};
const inference: AddonCatalogEntry = {
  addonName: INFERENCE,
  versions: [
    { addonVersion: 'v1.2.0-eksbuild.1', compatibilities: compat(['1.31', '1.32']) },
    { addonVersion: 'v1.1.0-eksbuild.1', compatibilities: compat(['1.30', '1.31'], '1.31') },
  ],
};
const certManager: AddonCatalogEntry = {
  addonName: 'cert-manager',
  versions: [
    { addonVersion: 'v1.18.2-eksbuild.2', compatibilities: compat(['1.31'], '1.31') },
    { addonVersion: 'v1.17.2-eksbuild.1', compatibilities: compat(['1.31']) },
  ],
};
const CNI_CONFIG = JSON.stringify({ env: { WARM_IP_TARGET: '5' } });
// DescribeAddonConfiguration's schema text: v1.20 closes `env` to known variables.
const strictSchema = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    env: {
      type: 'object',
      additionalProperties: false,
      properties: { ENABLE_PREFIX_DELEGATION: { type: 'string' } },
    },
  },
});

/** The gateway with every call recorded as `Operation(args)`. */
function recorded(inner: EksGateway): { eks: EksGateway; calls: string[] } {
  const calls: string[] = [];
  const eks = new Proxy(inner, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push(`${String(prop)}(${args.map((a) => JSON.stringify(a)).join(', ')})`);
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { eks, calls };
}

function setup(opts: { k8s?: string; schemas?: Record<string, string> } = {}) {
  const inner = new InMemoryEksGateway({
    clusters: [{ name: CLUSTER, version: opts.k8s ?? '1.31' }],
    addons: [
      {
        clusterName: CLUSTER,
        addonName: 'vpc-cni',
        addonVersion: 'v1.18.6-eksbuild.1',
        configurationValues: CNI_CONFIG,
      },
      { clusterName: CLUSTER, addonName: INFERENCE, addonVersion: 'v1.1.0-eksbuild.1' },
      { clusterName: CLUSTER, addonName: 'cert-manager', addonVersion: 'v1.17.2-eksbuild.1' },
      { clusterName: CLUSTER, addonName: 'coredns', addonVersion: 'v1.11.4-eksbuild.2' },
    ],
    catalog: [vpcCni, inference, certManager],
    configurationSchemas: opts.schemas ?? {},
  });
  return { inner, ...recorded(inner) };
}

describe('prepareUpgrade', () => {
  it('reads the cluster version, the add-on, its versions and the target schema, and plans hop by hop', async () => {
    const { eks, calls } = setup();
    const plan = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      target: 'latest',
    });
    expect(plan).toEqual({
      schemaVersion: 1,
      clusterName: CLUSTER,
      kubernetesVersion: '1.31',
      addonName: 'vpc-cni',
      from: 'v1.18.6-eksbuild.1',
      to: 'v1.20.0-eksbuild.1',
      hops: ['v1.19.5-eksbuild.3', 'v1.20.0-eksbuild.1'],
      configuration: { valid: true, errors: [] },
      dependenciesFirst: [],
      refusals: [],
    });
    // Reads only; vpc-cni has no dependencies, so the installed add-ons are not listed.
    expect(calls).toEqual([
      `describeCluster("${CLUSTER}")`,
      `describeAddon("${CLUSTER}", "vpc-cni")`,
      `describeAddonVersions({"addonName":"vpc-cni","kubernetesVersion":"1.31"})`,
      `describeAddonConfiguration("vpc-cni", "v1.20.0-eksbuild.1")`,
    ]);
  });

  it('resolves default for the cluster Kubernetes version and carries resolveConflicts', async () => {
    const { eks } = setup();
    const plan = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      target: 'default',
      resolveConflicts: 'OVERWRITE',
    });
    expect(plan).toMatchObject({
      to: 'v1.19.5-eksbuild.3',
      hops: ['v1.19.5-eksbuild.3'],
      resolveConflicts: 'OVERWRITE',
      refusals: [],
    });
  });

  it('throws AddonNotInstalledError for an add-on that is not installed', async () => {
    const { eks, calls } = setup();
    const p = prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'kube-proxy',
      target: 'latest',
    });
    await expect(p).rejects.toBeInstanceOf(AddonNotInstalledError);
    await expect(p).rejects.toThrow(
      `kube-proxy is not installed on ${CLUSTER}: there is nothing to upgrade`,
    );
    expect(calls.some((c) => c.startsWith('describeAddonVersions'))).toBe(false);
  });

  it('tells a version for another Kubernetes version from one that does not exist', async () => {
    const { eks, calls } = setup();
    const other = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      target: 'v1.21.0-eksbuild.1',
    });
    expect(other.refusals).toEqual([
      'vpc-cni v1.21.0-eksbuild.1 is not compatible with Kubernetes 1.31; offered: v1.20.0-eksbuild.1, v1.19.5-eksbuild.3, v1.18.6-eksbuild.1',
    ]);
    expect(other.hops).toEqual([]);
    expect(calls).toContain('describeAddonVersions({"addonName":"vpc-cni"})');
    const none = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      target: 'v9.9.9-eksbuild.1',
    });
    expect(none.refusals[0]).toMatch(/^vpc-cni has no version v9\.9\.9-eksbuild\.1; offered for/);
    // No schema is asked for a version the cluster cannot run.
    expect(calls.filter((c) => c.startsWith('describeAddonConfiguration'))).toEqual([]);
  });

  it("refuses when the current configuration does not fit the target version's schema", async () => {
    const { eks } = setup({ schemas: { 'vpc-cni@v1.20.0-eksbuild.1': strictSchema } });
    const plan = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      target: 'latest',
    });
    expect(plan.configuration.valid).toBe(false);
    expect(plan.configuration.errors.join('\n')).toMatch(/WARM_IP_TARGET/);
    expect(plan.refusals).toHaveLength(1);
    expect(plan.refusals[0]).toMatch(
      /^the current configuration does not fit v1\.20\.0-eksbuild\.1/,
    );
  });

  it('reads the installed dependency add-ons and refuses while they fall short', async () => {
    const { eks, calls } = setup();
    const plan = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: INFERENCE,
      target: 'latest',
    });
    expect(plan.to).toBe('v1.2.0-eksbuild.1');
    expect(plan.dependenciesFirst).toEqual([
      { addonName: 'aws-mountpoint-s3-csi-driver', minVersion: 'v1.14.1-eksbuild.1' },
      { addonName: 'aws-fsx-csi-driver', minVersion: 'v1.6.0-eksbuild.1' },
      {
        addonName: 'cert-manager',
        minVersion: 'v1.18.2-eksbuild.2',
        installed: 'v1.17.2-eksbuild.1',
      },
      { addonName: 'metrics-server', minVersion: 'v0.7.2-eksbuild.4' },
    ]);
    expect(plan.refusals).toEqual([
      `${INFERENCE} needs these add-ons first: aws-mountpoint-s3-csi-driver v1.14.1-eksbuild.1 or newer (not installed), aws-fsx-csi-driver v1.6.0-eksbuild.1 or newer (not installed), cert-manager v1.18.2-eksbuild.2 or newer (installed v1.17.2-eksbuild.1), metrics-server v0.7.2-eksbuild.4 or newer (not installed)`,
    ]);
    expect(calls).toContain(`listAddons("${CLUSTER}")`);
    // Only the dependencies that are installed are described, not every add-on.
    expect(calls).toContain(`describeAddon("${CLUSTER}", "cert-manager")`);
    expect(calls).not.toContain(`describeAddon("${CLUSTER}", "coredns")`);
  });

  it('lets the dependency refusal go once the dependencies are there', async () => {
    const { eks, inner } = setup();
    for (const [addonName, addonVersion] of [
      ['aws-mountpoint-s3-csi-driver', 'v1.15.0-eksbuild.1'],
      ['aws-fsx-csi-driver', 'v1.7.0-eksbuild.1'],
      ['metrics-server', 'v0.8.0-eksbuild.1'],
    ] as const)
      inner.seedAddon({ clusterName: CLUSTER, addonName, addonVersion });
    await inner.updateAddon({
      clusterName: CLUSTER,
      addonName: 'cert-manager',
      addonVersion: 'v1.18.2-eksbuild.2',
    });
    const plan = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: INFERENCE,
      target: 'latest',
    });
    expect(plan).toMatchObject({
      dependenciesFirst: [],
      refusals: [],
      hops: ['v1.2.0-eksbuild.1'],
    });
  });

  it('lets gateway errors through (a read that failed is not a refusal)', async () => {
    const { eks } = setup();
    await expect(
      prepareUpgrade(eks, { clusterName: 'ml-missing', addonName: 'vpc-cni', target: 'latest' }),
    ).rejects.toMatchObject({ name: 'GatewayError', kind: 'NotFound' });
  });
});
