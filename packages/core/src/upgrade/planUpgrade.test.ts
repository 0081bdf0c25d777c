import type { AddonCatalogEntry } from '../addons/addonDrift';
import { planUpgrade, type PlanUpgradeInput } from './planUpgrade';

const compat = (versions: string[], def?: string) =>
  versions.map((clusterVersion) => ({ clusterVersion, defaultVersion: clusterVersion === def }));

// Shaped like DescribeAddonVersions for vpc-cni (one default per Kubernetes version).
const vpcCni: AddonCatalogEntry = {
  addonName: 'vpc-cni',
  versions: [
    { addonVersion: 'v1.20.0-eksbuild.1', compatibilities: compat(['1.30', '1.31', '1.32']) },
    {
      addonVersion: 'v1.19.5-eksbuild.3',
      compatibilities: compat(['1.29', '1.30', '1.31', '1.32'], '1.31'),
    },
    {
      addonVersion: 'v1.19.2-eksbuild.1',
      compatibilities: compat(['1.28', '1.29', '1.30', '1.31']),
    },
    {
      addonVersion: 'v1.18.6-eksbuild.1',
      compatibilities: compat(['1.28', '1.29', '1.30', '1.31']),
    },
  ],
};

const INFERENCE = 'amazon-sagemaker-hyperpod-inference';
const inference: AddonCatalogEntry = {
  addonName: INFERENCE,
  versions: [
    { addonVersion: 'v1.2.0-eksbuild.1', compatibilities: compat(['1.31', '1.32']) },
    {
      addonVersion: 'v1.1.0-eksbuild.1',
      compatibilities: compat(['1.30', '1.31', '1.32'], '1.31'),
    },
    { addonVersion: 'v1.0.0-eksbuild.1', compatibilities: compat(['1.30', '1.31']) },
  ],
};
// A draft-07 schema as DescribeAddonConfiguration returns it (a string).
const inferenceSchema = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    additionalProperties: false,
    required: ['executionRoleArn', 'tlsCertificateS3Bucket'],
    properties: {
      executionRoleArn: {
        type: 'string',
        pattern: '^arn:aws[a-z-]*:iam::\\d{12}:role/(.*/)?SageMakerHyperPodInference.*$',
      },
      tlsCertificateS3Bucket: { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' },
      hyperpodClusterArn: { type: 'string' },
      ...extra,
    },
  });
const config = {
  executionRoleArn:
    'arn:aws:iam::111111111111:role/SageMakerHyperPodInference-k3z9x2ab-execution-role',
  tlsCertificateS3Bucket: 'hyperpod-tls-prod',
  hyperpodClusterArn: 'arn:aws:sagemaker:us-east-1:111111111111:cluster/k3z9x2abcd12',
};
const input = (over: Partial<PlanUpgradeInput>): PlanUpgradeInput => ({
  clusterName: 'ml-staging-usw2',
  kubernetesVersion: '1.31',
  addon: {
    addonName: INFERENCE,
    addonVersion: 'v1.0.0-eksbuild.1',
    configurationValues: JSON.stringify(config),
  },
  target: 'latest',
  catalog: inference,
  schemas: {
    'v1.1.0-eksbuild.1': inferenceSchema(),
    'v1.2.0-eksbuild.1': inferenceSchema({ inferenceGateway: { type: 'object' } }),
  },
  installed: {
    'aws-mountpoint-s3-csi-driver': 'v1.15.0-eksbuild.1',
    'aws-fsx-csi-driver': 'v1.7.0-eksbuild.1',
    'cert-manager': 'v1.19.1-eksbuild.1',
    'metrics-server': 'v0.8.0-eksbuild.1',
  },
  ...over,
});

describe('planUpgrade', () => {
  it('resolves default and latest for the cluster Kubernetes version and checks the configuration against the target schema', () => {
    const latest = planUpgrade(input({}));
    expect(latest).toMatchObject({
      schemaVersion: 1,
      from: 'v1.0.0-eksbuild.1',
      to: 'v1.2.0-eksbuild.1',
      hops: ['v1.2.0-eksbuild.1'],
      configuration: { valid: true, errors: [] },
      dependenciesFirst: [],
      refusals: [],
    });
    expect(planUpgrade(input({ target: 'default' })).to).toBe('v1.1.0-eksbuild.1');
    // The conflict mode travels with the plan to every update; unset, EKS's default applies.
    expect(planUpgrade(input({ resolveConflicts: 'OVERWRITE' })).resolveConflicts).toBe(
      'OVERWRITE',
    );
    expect(latest).not.toHaveProperty('resolveConflicts');
  });

  it('refuses a version not offered for the cluster, an unknown version, and a downgrade', () => {
    expect(
      planUpgrade(input({ kubernetesVersion: '1.30', target: 'v1.2.0-eksbuild.1' })).refusals,
    ).toEqual([
      `${INFERENCE} v1.2.0-eksbuild.1 is not compatible with Kubernetes 1.30; offered: v1.1.0-eksbuild.1, v1.0.0-eksbuild.1`,
    ]);
    expect(planUpgrade(input({ target: 'v9.9.9-eksbuild.1' })).refusals[0]).toMatch(
      /has no version v9\.9\.9-eksbuild\.1/,
    );
    const down = planUpgrade(
      input({
        addon: { addonName: INFERENCE, addonVersion: 'v1.2.0-eksbuild.1' },
        target: 'v1.1.0-eksbuild.1',
      }),
    );
    expect(down.refusals[0]).toMatch(/older than the installed v1\.2\.0-eksbuild\.1/);
    expect(down.hops).toEqual([]);
  });

  it('refuses when the current configuration does not fit the target version schema, naming each path', () => {
    const bad = {
      ...config,
      tlsCertificateS3Bucket: 's3://hyperpod-tls-prod',
      alb: { serviceAccount: { create: true } },
    };
    const plan = planUpgrade(
      input({
        addon: {
          addonName: INFERENCE,
          addonVersion: 'v1.0.0-eksbuild.1',
          configurationValues: JSON.stringify(bad),
        },
      }),
    );
    expect(plan.configuration.valid).toBe(false);
    expect(plan.configuration.errors).toEqual(
      expect.arrayContaining([
        '$: must NOT have additional properties (alb)',
        '$.tlsCertificateS3Bucket: must match pattern "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"',
      ]),
    );
    expect(plan.refusals).toHaveLength(1);
    expect(
      planUpgrade(
        input({
          addon: {
            addonName: INFERENCE,
            addonVersion: 'v1.0.0-eksbuild.1',
            configurationValues: '{oops',
          },
        }),
      ).configuration.errors[0],
    ).toMatch(/^configurationValues is not valid JSON$/);
  });

  it('lists dependency add-ons below their minimum (or missing) to move first', () => {
    const plan = planUpgrade(
      input({
        installed: {
          'cert-manager': 'v1.17.2-eksbuild.1',
          'metrics-server': 'v0.8.0-eksbuild.1',
          'aws-fsx-csi-driver': 'v1.7.0-eksbuild.1',
        },
      }),
    );
    expect(plan.dependenciesFirst).toEqual([
      { addonName: 'aws-mountpoint-s3-csi-driver', minVersion: 'v1.14.1-eksbuild.1' },
      {
        addonName: 'cert-manager',
        minVersion: 'v1.18.2-eksbuild.2',
        installed: 'v1.17.2-eksbuild.1',
      },
    ]);
    // Known to fall short, they refuse the plan; unknown (no `installed`), they are only listed.
    expect(plan.refusals).toEqual([
      `${INFERENCE} needs these add-ons first: aws-mountpoint-s3-csi-driver v1.14.1-eksbuild.1 or newer (not installed), cert-manager v1.18.2-eksbuild.2 or newer (installed v1.17.2-eksbuild.1)`,
    ]);
    const unknown = planUpgrade(input({ installed: undefined }));
    expect(unknown.dependenciesFirst).toHaveLength(4);
    expect(unknown.refusals).toEqual([]);
  });

  it('moves the VPC CNI one minor version at a time, through the newest build of each minor', () => {
    const plan = planUpgrade(
      input({
        addon: { addonName: 'vpc-cni', addonVersion: 'v1.18.6-eksbuild.1' },
        catalog: vpcCni,
        target: 'latest',
        schemas: {},
      }),
    );
    expect(plan.hops).toEqual(['v1.19.5-eksbuild.3', 'v1.20.0-eksbuild.1']);
    expect(plan.refusals).toEqual([]);
    // Add-ons without that rule jump straight to the target.
    expect(planUpgrade(input({})).hops).toHaveLength(1);
  });

  it('plans nothing to do when already at the target', () => {
    const plan = planUpgrade(
      input({
        addon: {
          addonName: INFERENCE,
          addonVersion: 'v1.2.0-eksbuild.1',
          configurationValues: JSON.stringify(config),
        },
      }),
    );
    expect(plan).toMatchObject({ to: 'v1.2.0-eksbuild.1', hops: [], refusals: [] });
  });
});
