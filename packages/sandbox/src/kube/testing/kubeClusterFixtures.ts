/**
 * Fixtures of the KubeCluster tests: a cluster with the inference operator's namespace, the
 * operator's Deployment and its reference, and the KubeStatusError a call throws. Test-only: the
 * package build leaves testing/ out.
 */
import { KubeCluster } from '../KubeCluster';
import { KubeStatusError } from '../KubeStatusError';
import type { KubeObject } from '../types';

export const NS = 'hyperpod-inference-system';

export function deployment(
  replicas = 1,
  image = 'public.ecr.aws/sagemaker/hyperpod-inference-operator:v3.2',
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'hyperpod-inference-operator-controller-manager',
      namespace: NS,
      labels: { 'app.kubernetes.io/name': 'hyperpod-inference-operator' },
    },
    spec: {
      replicas,
      selector: { matchLabels: { 'control-plane': 'controller-manager' } },
      template: {
        metadata: { labels: { 'control-plane': 'controller-manager' } },
        spec: {
          serviceAccountName: 'hyperpod-inference-operator-controller-manager',
          containers: [
            {
              name: 'manager',
              image,
              args: ['--leader-elect'],
              ports: [{ containerPort: 8081, name: 'health' }],
            },
          ],
        },
      },
    },
  };
}

export function cluster(): KubeCluster {
  const c = new KubeCluster({ name: 'hp-prod', version: '1.31' });
  c.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  return c;
}

export function statusError(fn: () => unknown): KubeStatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof KubeStatusError) return e;
    throw e;
  }
  throw new Error('expected a KubeStatusError');
}

export const ref = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  namespace: NS,
  name: 'hyperpod-inference-operator-controller-manager',
};
