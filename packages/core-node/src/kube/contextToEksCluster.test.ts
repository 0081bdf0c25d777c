import { KubeConfig } from '@kubernetes/client-node';
import { contextToEksCluster, parseEksClusterArn } from './contextToEksCluster';

function kc(config: object): KubeConfig {
  const k = new KubeConfig();
  k.loadFromString(JSON.stringify({ apiVersion: 'v1', kind: 'Config', ...config }));
  return k;
}

describe('contextToEksCluster', () => {
  it('reads name, region and account from a cluster entry named by ARN (aws eks update-kubeconfig)', () => {
    const arn = 'arn:aws:eks:us-west-2:111111111111:cluster/ml-research-usw2';
    const k = kc({
      clusters: [{ name: arn, cluster: { server: 'https://x.example' } }],
      users: [{ name: arn, user: { token: 't' } }],
      contexts: [{ name: 'research', context: { cluster: arn, user: arn } }],
    });
    expect(contextToEksCluster(k, 'research')).toEqual({
      name: 'ml-research-usw2',
      region: 'us-west-2',
      accountId: '111111111111',
      arn,
    });
  });

  it('reads name and region from an `aws eks get-token` exec user when the cluster entry is not an ARN', () => {
    const k = kc({
      clusters: [
        { name: 'prod', cluster: { server: 'https://ABCDEF.gr7.us-east-1.eks.amazonaws.com' } },
      ],
      users: [
        {
          name: 'prod-user',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws',
              args: ['eks', 'get-token', '--cluster-name', 'ml-prod-use1', '--region', 'us-east-1'],
            },
          },
        },
      ],
      contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'prod-user' } }],
    });
    expect(contextToEksCluster(k, 'prod')).toEqual({ name: 'ml-prod-use1', region: 'us-east-1' });
  });

  it('takes the region from the EKS endpoint when get-token has no --region, and handles --flag=value', () => {
    const k = kc({
      clusters: [
        { name: 'c', cluster: { server: 'https://ABCDEF.yl4.eu-west-1.eks.amazonaws.com' } },
      ],
      users: [
        {
          name: 'u',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws',
              args: ['eks', 'get-token', '--cluster-name=eu-cluster'],
            },
          },
        },
      ],
      contexts: [{ name: 'eu', context: { cluster: 'c', user: 'u' } }],
    });
    expect(contextToEksCluster(k, 'eu')).toEqual({ name: 'eu-cluster', region: 'eu-west-1' });
  });

  it('reads aws-iam-authenticator users', () => {
    const k = kc({
      clusters: [
        { name: 'c', cluster: { server: 'https://ABCDEF.sk1.us-west-2.eks.amazonaws.com' } },
      ],
      users: [
        {
          name: 'u',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws-iam-authenticator',
              args: ['token', '-i', 'legacy'],
            },
          },
        },
      ],
      contexts: [{ name: 'old', context: { cluster: 'c', user: 'u' } }],
    });
    expect(contextToEksCluster(k, 'old')).toEqual({ name: 'legacy', region: 'us-west-2' });
  });

  it('is undefined for a cluster that is not EKS (kind, minikube) and for an unknown context', () => {
    const k = kc({
      clusters: [{ name: 'kind-dev', cluster: { server: 'https://127.0.0.1:6443' } }],
      users: [{ name: 'kind-dev', user: { token: 't' } }],
      contexts: [{ name: 'kind-dev', context: { cluster: 'kind-dev', user: 'kind-dev' } }],
    });
    expect(contextToEksCluster(k, 'kind-dev')).toBeUndefined();
    expect(contextToEksCluster(k, 'nope')).toBeUndefined();
  });

  it('parses EKS ARNs of other partitions and refuses other ARNs', () => {
    expect(parseEksClusterArn('arn:aws-cn:eks:cn-north-1:111111111111:cluster/c1')).toMatchObject({
      name: 'c1',
      region: 'cn-north-1',
    });
    expect(
      parseEksClusterArn('arn:aws:sagemaker:us-east-1:111111111111:cluster/abc'),
    ).toBeUndefined();
  });
});
