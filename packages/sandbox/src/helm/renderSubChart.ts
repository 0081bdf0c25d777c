/** The inference operator chart's sub-charts as `helm template` renders them (trimmed to their workloads). */
import type { HelmValues } from '@hyperpod/core';
import { CERT_MANAGER_KINDS } from '../kube/certManagerCrds';
import type { KubeObject } from '../kube/types';
import { valueText as str } from './coalesce';
import type { SubChart } from './inferenceOperatorChart';

export function renderSubChart(
  sub: SubChart,
  v: HelmValues,
  release: string,
  namespace: string,
): Record<string, KubeObject[]> {
  const labels = {
    'helm.sh/chart': `${sub.alias}-${sub.version}`,
    'app.kubernetes.io/name': sub.alias,
    'app.kubernetes.io/instance': release,
    'app.kubernetes.io/version': sub.appVersion,
    'app.kubernetes.io/managed-by': 'Helm',
  };
  const deployment = (
    name: string,
    ns: string,
    sa: string,
    image: string,
    replicas = 1,
  ): KubeObject[] => [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels },
      spec: {
        replicas,
        selector: {
          matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release },
        },
        template: {
          metadata: {
            labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': release },
          },
          spec: { serviceAccountName: sa, containers: [{ name, image }] },
        },
      },
    },
  ];
  const daemonSet = (name: string, sa: string, image: string): KubeObject[] => [
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name, namespace, labels },
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name, 'app.kubernetes.io/instance': release } },
          spec: { serviceAccountName: sa, containers: [{ name, image }] },
        },
      },
    },
  ];
  const serviceAccount = (name: string, ns: string, roleArn?: unknown): KubeObject[] => [
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name,
        namespace: ns,
        labels,
        ...(roleArn ? { annotations: { 'eks.amazonaws.com/role-arn': str(roleArn) } } : {}),
      },
    },
  ];
  const csiDriver = (name: string): KubeObject[] => [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'CSIDriver',
      metadata: { name, labels },
      spec: { attachRequired: false, podInfoOnMount: true },
    },
  ];
  const replicas = (typeof v['replicaCount'] === 'number' && v['replicaCount']) || 1;
  switch (sub.alias) {
    case 'alb': {
      const sa = v['serviceAccount'] as HelmValues;
      return {
        'deployment.yaml': deployment(
          `${release}-alb`,
          namespace,
          str(sa['name']),
          `public.ecr.aws/eks/aws-load-balancer-controller:${sub.appVersion}`,
          replicas,
        ),
        'serviceaccount.yaml': sa['create']
          ? serviceAccount(str(sa['name']), namespace, sa['roleArn'])
          : [],
      };
    }
    case 'keda': {
      const irsa = ((v['podIdentity'] as HelmValues)['aws'] as HelmValues)['irsa'] as HelmValues;
      const image = (n: string) => `ghcr.io/kedacore/${n}:${sub.appVersion}`;
      return {
        'admission-webhooks.yaml': deployment(
          'keda-admission-webhooks',
          namespace,
          'keda-webhook',
          image('keda-admission-webhooks'),
        ),
        'metrics-apiserver.yaml': deployment(
          'keda-operator-metrics-apiserver',
          namespace,
          'keda-operator',
          image('keda-metrics-apiserver'),
        ),
        'operator.yaml': deployment('keda-operator', namespace, 'keda-operator', image('keda')),
        'serviceaccount.yaml': serviceAccount(
          'keda-operator',
          namespace,
          irsa['enabled'] ? irsa['roleArn'] : undefined,
        ),
        'webhook-serviceaccount.yaml': serviceAccount('keda-webhook', namespace),
      };
    }
    case 's3':
      return {
        'csidriver.yaml': csiDriver('s3.csi.aws.com'),
        'node.yaml': daemonSet(
          's3-csi-node',
          's3-csi-driver-sa',
          `public.ecr.aws/mountpoint-s3-csi-driver/aws-mountpoint-s3-csi-driver:v${sub.appVersion}`,
        ),
        'serviceaccount.yaml': serviceAccount(
          's3-csi-driver-sa',
          namespace,
          v['serviceAccountRoleArn'],
        ),
      };
    case 'fsx':
      return {
        'controller-serviceaccount.yaml': serviceAccount(
          'fsx-csi-controller-sa',
          namespace,
          ((v['controller'] as HelmValues)['serviceAccount'] as HelmValues)['roleArn'],
        ),
        'csidriver.yaml': csiDriver('fsx.csi.aws.com'),
        'node-serviceaccount.yaml': serviceAccount('fsx-csi-node-sa', namespace),
        'node.yaml': daemonSet(
          'fsx-csi-node',
          'fsx-csi-node-sa',
          `public.ecr.aws/fsx-csi-driver/aws-fsx-csi-driver:v${sub.appVersion}`,
        ),
      };
    case 'metrics': {
      const name = `${release}-metrics`;
      return {
        'deployment.yaml': deployment(
          name,
          namespace,
          name,
          `registry.k8s.io/metrics-server/metrics-server:v${sub.appVersion}`,
          replicas,
        ),
        'serviceaccount.yaml': serviceAccount(name, namespace),
      };
    }
    case 'cert-manager': {
      const ns = str(v['namespace']) || namespace;
      const out: Record<string, KubeObject[]> = {};
      for (const name of ['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook']) {
        out[`${name}.yaml`] = deployment(
          name,
          ns,
          name,
          `quay.io/jetstack/${name}:${sub.appVersion}`,
          replicas,
        );
        out[`${name}-serviceaccount.yaml`] = serviceAccount(name, ns);
      }
      // The published chart's templates/crds.yaml (generated by cert-manager's release tool):
      // every CRD, kept when the release goes (crds.keep). The `cert-manager` namespace is not
      // the chart's: it must exist before the install.
      const crds = v['crds'] as HelmValues;
      out['crds.yaml'] = crds['enabled']
        ? CERT_MANAGER_KINDS.map(({ group, plural, kind, scope }) => ({
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            metadata: {
              name: `${plural}.${group}`,
              ...(crds['keep'] ? { annotations: { 'helm.sh/resource-policy': 'keep' } } : {}),
              labels,
            },
            spec: {
              group,
              names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
              scope,
              versions: [
                {
                  name: 'v1',
                  schema: {
                    openAPIV3Schema: {
                      type: 'object',
                      'x-kubernetes-preserve-unknown-fields': true,
                    },
                  },
                  served: true,
                  storage: true,
                  subresources: { status: {} },
                },
              ],
            },
          }))
        : [];
      return out;
    }
    default:
      return {};
  }
}
