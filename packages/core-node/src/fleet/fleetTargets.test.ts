import { GatewayError, type EksGateway, type SageMakerGateway } from '@hyperpod/core';
import { KubeConfig } from '@kubernetes/client-node';
import { FleetFileError } from './FleetSourceError';
import {
  attachHyperPodClusters,
  discoverEksClusters,
  fleetTargets,
  kubeconfigTargets,
  type FleetScope,
} from './fleetTargets';
import { parseFleetFile } from './parseFleetFile';

const problems = (text: string): string[] => {
  try {
    parseFleetFile(text, 'fleet.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(FleetFileError);
    return (e as FleetFileError).problems;
  }
  throw new Error('expected the fleet file to be refused');
};

describe('fleet file', () => {
  it('reads the configuration declared per add-on, for configuration drift', () => {
    const f = parseFleetFile(`
clusters:
  - name: ml-prod-use1
    region: us-east-1
    addons:
      amazon-sagemaker-hyperpod-inference:
        configurationValues:
          tlsCertificateS3Bucket: hyperpod-tls-prod
          alb: { serviceAccount: { create: true } }
`);
    expect(f.clusters[0]!.declared).toEqual({
      'amazon-sagemaker-hyperpod-inference': {
        tlsCertificateS3Bucket: 'hyperpod-tls-prod',
        alb: { serviceAccount: { create: true } },
      },
    });
    expect(
      problems(
        `clusters:\n  - name: a\n    region: us-east-1\n    addons:\n      Bad_Name: { configurationValues: {} }\n      coredns: { configurationValues: 3 }\n`,
      ),
    ).toEqual([
      "fleet.yaml: clusters[0].addons: Bad_Name is not an EKS add-on name (lowercase letters, digits, '.', '_' and '-')",
      expect.stringMatching(
        /clusters\[0\]\.addons\.coredns\.configurationValues: must be a mapping/,
      ),
    ]);
  });

  it('reads clusters and discovery entries', () => {
    const f = parseFleetFile(`
clusters:
  - name: ml-prod-use1
    accountId: "111111111111"
    region: us-east-1
    labels: { team: ml-platform }
  - name: ml-dev-use1
    region: us-east-1
    roleArn: arn:aws:iam::222222222222:role/HyperPodReader
    context: dev
discover:
  - accountId: "222222222222"
    roleArn: arn:aws:iam::222222222222:role/HyperPodReader
    regions: [us-east-1, us-west-2]
`);
    expect(f.clusters).toEqual([
      {
        name: 'ml-prod-use1',
        accountId: '111111111111',
        region: 'us-east-1',
        labels: { team: 'ml-platform' },
      },
      // The account comes from the role ARN when not given.
      {
        name: 'ml-dev-use1',
        accountId: '222222222222',
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::222222222222:role/HyperPodReader',
        context: 'dev',
      },
    ]);
    expect(f.discover).toEqual([
      {
        accountId: '222222222222',
        roleArn: 'arn:aws:iam::222222222222:role/HyperPodReader',
        regions: ['us-east-1', 'us-west-2'],
      },
    ]);
  });

  it('reports every problem with its path', () => {
    expect(
      problems(`
clusters:
  - name: a
    region: us-east-1
  - name: b
    region: useast1
  - name: c
    region: us-east-7
  - region: us-west-2
    accountId: 111111111111
    colour: blue
discover:
  - regions: [eu-west-1, eu-north-9]
    roleArn: not-an-arn
`),
    ).toEqual([
      'fleet.yaml: clusters[1].region: must be an AWS region name like us-east-1',
      'fleet.yaml: clusters[3]: missing name',
      'fleet.yaml: clusters[3]: unknown key colour',
      'fleet.yaml: clusters[3].accountId: must be a string: quote the account id in YAML ("012345678901") so leading zeros survive',
      'fleet.yaml: discover[0].roleArn: must be an IAM role ARN like arn:aws:iam::111111111111:role/Name',
      'fleet.yaml: clusters[2].region: us-east-7 is not an AWS region',
      'fleet.yaml: discover[0].regions[1]: eu-north-9 is not an AWS region',
    ]);
  });

  it('refuses YAML that does not parse, and a role in another account than the cluster', () => {
    expect(problems('clusters: [name: a')[0]).toMatch(/^fleet\.yaml: /);
    expect(
      problems(
        'clusters:\n  - name: a\n    region: us-east-1\n    accountId: "111111111111"\n    roleArn: arn:aws:iam::222222222222:role/R\n',
      ),
    ).toEqual([
      'fleet.yaml: clusters[0].roleArn: role is in account 222222222222, the cluster in 111111111111',
    ]);
  });
});

/** Gateways over a table of (account, region) → clusters; a scope can be made to fail. */
function fakeGateways(
  world: Record<string, string[]>,
  hyperpods: Record<string, { arn: string; eksClusterArn?: string }[]> = {},
  failing: Record<string, GatewayError> = {},
) {
  const asked: FleetScope[] = [];
  const gatewaysFor = async (scope: FleetScope) => {
    asked.push(scope);
    const key = `${scope.accountId}/${scope.region}`;
    const eks = {
      region: scope.region,
      accountId: scope.accountId,
      listClusters: async () => {
        if (failing[key]) throw failing[key];
        return world[key] ?? [];
      },
    } as unknown as EksGateway;
    const list = hyperpods[key] ?? [];
    const sagemaker: SageMakerGateway = {
      region: scope.region,
      listHyperPodClusters: async () =>
        list.map((h) => ({ name: h.arn.split('/').pop()!, arn: h.arn, status: 'InService' })),
      describeHyperPodCluster: async (arn) => ({
        ...list.find((h) => h.arn === arn)!,
        name: arn.split('/').pop()!,
        status: 'InService',
      }),
    };
    return { eks, sagemaker };
  };
  return { gatewaysFor, asked };
}

describe('EKS discovery', () => {
  it('lists clusters per account and region through the role, and keeps a failing region as an error entry', async () => {
    const { gatewaysFor, asked } = fakeGateways(
      {
        '111111111111/us-east-1': ['ml-prod-use1', 'ml-legacy-use1'],
        '111111111111/us-west-2': ['ml-research-usw2'],
      },
      {},
      {
        '222222222222/us-east-1': new GatewayError(
          'AccessDenied',
          'User is not authorized to perform: sts:AssumeRole',
          'sts',
          'AssumeRole',
          'AccessDenied',
          403,
        ),
      },
    );
    const r = await discoverEksClusters(
      [
        { accountId: '111111111111', regions: ['us-east-1', 'us-west-2'] },
        {
          accountId: '222222222222',
          roleArn: 'arn:aws:iam::222222222222:role/Reader',
          regions: ['us-east-1'],
        },
      ],
      gatewaysFor,
    );
    expect(r.targets.map((t) => `${t.accountId}/${t.region}/${t.name}`)).toEqual([
      '111111111111/us-east-1/ml-prod-use1',
      '111111111111/us-east-1/ml-legacy-use1',
      '111111111111/us-west-2/ml-research-usw2',
    ]);
    expect(r.targets[0]!.arn).toBe('arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1');
    expect(asked).toContainEqual({
      accountId: '222222222222',
      region: 'us-east-1',
      roleArn: 'arn:aws:iam::222222222222:role/Reader',
      profile: undefined,
    });
    expect(r.errors).toEqual([
      {
        source: 'discover',
        accountId: '222222222222',
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::222222222222:role/Reader',
        profile: undefined,
        error: expect.objectContaining({ kind: 'AccessDenied', operation: 'AssumeRole' }),
      },
    ]);
  });

  it('attaches each HyperPod cluster to the EKS cluster it runs on, deduplicating declared and discovered clusters', async () => {
    const eksArn = 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1';
    const hpArn = 'arn:aws:sagemaker:us-east-1:111111111111:cluster/k3z9x2abcd';
    const { gatewaysFor } = fakeGateways(
      { '111111111111/us-east-1': ['ml-prod-use1', 'ml-legacy-use1'] },
      {
        '111111111111/us-east-1': [
          { arn: hpArn, eksClusterArn: eksArn },
          { arn: 'arn:aws:sagemaker:us-east-1:111111111111:cluster/slurm1' },
        ],
      },
    );
    const r = await fleetTargets(
      {
        clusters: [
          {
            name: 'ml-prod-use1',
            accountId: '111111111111',
            region: 'us-east-1',
            labels: { team: 'ml' },
          },
        ],
        discover: [{ accountId: '111111111111', regions: ['us-east-1'] }],
      },
      gatewaysFor,
    );
    expect(r.errors).toEqual([]);
    expect(r.targets).toEqual([
      {
        name: 'ml-prod-use1',
        accountId: '111111111111',
        region: 'us-east-1',
        labels: { team: 'ml' },
        hyperpodClusterArn: hpArn,
      },
      {
        name: 'ml-legacy-use1',
        accountId: '111111111111',
        region: 'us-east-1',
        arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-legacy-use1',
      },
    ]);
    const again = await attachHyperPodClusters(r.targets, gatewaysFor);
    expect(again.targets.filter((t) => t.hyperpodClusterArn)).toHaveLength(1);
  });
});

describe('kubeconfig targets', () => {
  it('turns EKS contexts into EKS targets and other contexts into context-only targets', () => {
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
          server: 'https://ABC.gr7.us-east-1.eks.amazonaws.com',
        },
        { name: 'dev-cluster', server: 'https://DEF.yl4.us-west-2.eks.amazonaws.com' },
        { name: 'kind-local', server: 'https://127.0.0.1:6443' },
      ],
      users: [
        { name: 'prod-user' },
        {
          name: 'dev-user',
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: '--region us-west-2 eks get-token --cluster-name ml-staging-usw2'.split(' '),
          },
        },
        { name: 'kind-user' },
      ],
      contexts: [
        {
          name: 'prod',
          cluster: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
          user: 'prod-user',
        },
        { name: 'staging', cluster: 'dev-cluster', user: 'dev-user' },
        { name: 'kind-local', cluster: 'kind-local', user: 'kind-user' },
      ],
      currentContext: 'prod',
    });
    expect(kubeconfigTargets(kc)).toEqual([
      {
        name: 'ml-prod-use1',
        region: 'us-east-1',
        accountId: '111111111111',
        arn: 'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
        context: 'prod',
      },
      { name: 'ml-staging-usw2', region: 'us-west-2', context: 'staging' },
      { name: 'kind-local', context: 'kind-local' },
    ]);
    expect(kubeconfigTargets(kc, ['staging'])).toHaveLength(1);
  });
});
