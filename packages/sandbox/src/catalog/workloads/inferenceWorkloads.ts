/** The workloads of amazon-sagemaker-hyperpod-inference: CRDs, the operator, the ALB controller, KEDA and the optional gateway. */
import type { KubeObject } from '../../kube/types';
import * as k8s from '../addonWorkloads';

// ---------------------------------------------------------------------------------------------
// amazon-sagemaker-hyperpod-inference

export const INFERENCE_NS = 'hyperpod-inference-system';
const INFERENCE_GROUP = 'inference.sagemaker.aws.amazon.com';

/** Where the inference operator's images live, per region (from the public chart's values). */
const INFERENCE_ECR: Record<string, string> = {
  'us-east-1': '557690614651.dkr.ecr.us-east-1.amazonaws.com',
  'us-east-2': '061051259071.dkr.ecr.us-east-2.amazonaws.com',
  'us-west-1': '183295454132.dkr.ecr.us-west-1.amazonaws.com',
  'us-west-2': '861276088053.dkr.ecr.us-west-2.amazonaws.com',
  'eu-west-1': '537124951544.dkr.ecr.eu-west-1.amazonaws.com',
  'eu-west-2': '337909760000.dkr.ecr.eu-west-2.amazonaws.com',
  'eu-central-1': '491085393763.dkr.ecr.eu-central-1.amazonaws.com',
  'eu-north-1': '850995554027.dkr.ecr.eu-north-1.amazonaws.com',
  'ap-northeast-1': '724772091842.dkr.ecr.ap-northeast-1.amazonaws.com',
  'ap-south-1': '522814713546.dkr.ecr.ap-south-1.amazonaws.com',
  'ap-southeast-1': '474668384327.dkr.ecr.ap-southeast-1.amazonaws.com',
  'ap-southeast-2': '147997151819.dkr.ecr.ap-southeast-2.amazonaws.com',
  'sa-east-1': '495599735358.dkr.ecr.sa-east-1.amazonaws.com',
};

export function inferenceWorkloads(i: k8s.WorkloadInput): KubeObject[] {
  const c = i.config;
  const registry = INFERENCE_ECR[i.region] ?? INFERENCE_ECR['us-west-2']!;
  const l = (component: string) =>
    k8s.labelsFor('amazon-sagemaker-hyperpod-inference', component, i.addonVersion);
  const str = (p: string) =>
    typeof k8s.configAt(c, p) === 'string' ? (k8s.configAt(c, p) as string) : undefined;
  const out: KubeObject[] = [
    k8s.namespace(INFERENCE_NS),
    k8s.crd(INFERENCE_GROUP, 'InferenceEndpointConfig', 'inferenceendpointconfigs', {
      versions: ['v1alpha1', 'v1'],
    }),
    k8s.crd(INFERENCE_GROUP, 'JumpStartModel', 'jumpstartmodels', { versions: ['v1alpha1', 'v1'] }),
    k8s.crd(INFERENCE_GROUP, 'SageMakerEndpointRegistration', 'sagemakerendpointregistrations', {
      versions: ['v1alpha1', 'v1'],
    }),
  ];
  if (k8s.configAt(c, 'inferenceOperator.enabled') !== false) {
    out.push(
      k8s.serviceAccount(
        'hyperpod-inference-controller-manager',
        INFERENCE_NS,
        str('executionRoleArn'),
        l('hyperpod-inference-controller-manager'),
      ),
      k8s.deployment('hyperpod-inference-controller-manager', INFERENCE_NS, {
        replicas: 1,
        image: `${registry}/hyperpod-inference-operator:${k8s.upstreamTag(i.addonVersion)}`,
        serviceAccountName: 'hyperpod-inference-controller-manager',
        labels: l('hyperpod-inference-controller-manager'),
        args: ['--leader-elect', `--cluster-name=${i.clusterName}`, `--region=${i.region}`],
        config: c,
      }),
    );
  }
  const albRole = str('alb.serviceAccount.roleArn');
  if (k8s.configAt(c, 'alb.serviceAccount.create') !== false) {
    out.push(
      k8s.serviceAccount(
        'aws-load-balancer-controller',
        INFERENCE_NS,
        albRole,
        l('aws-load-balancer-controller'),
      ),
    );
  }
  out.push(
    k8s.deployment('hyperpod-inference-alb', INFERENCE_NS, {
      image: k8s.eksImage(i.region, 'amazon/aws-load-balancer-controller', 'v2.13.0'),
      serviceAccountName: 'aws-load-balancer-controller',
      labels: l('hyperpod-inference-alb'),
      container: 'aws-load-balancer-controller',
      args: [`--cluster-name=${i.clusterName}`, '--ingress-class=alb'],
    }),
    k8s.serviceAccount(
      'keda-operator',
      INFERENCE_NS,
      str('keda.auth.aws.irsa.roleArn'),
      l('keda-operator'),
    ),
  );
  for (const name of [
    'keda-operator',
    'keda-operator-metrics-apiserver',
    'keda-admission-webhooks',
  ]) {
    out.push(
      k8s.deployment(name, INFERENCE_NS, {
        replicas: 1,
        image: `ghcr.io/kedacore/${name.replace('-operator-', '-')}:2.17.1`,
        serviceAccountName: 'keda-operator',
        labels: l(name),
        container: name,
      }),
    );
  }
  if (k8s.configAt(c, 'inferenceGateway.enabled') === true) {
    out.push(
      k8s.serviceAccount(
        'hyperpod-inference-gateway',
        INFERENCE_NS,
        str('inferenceGateway.serviceAccount.roleArn'),
        l('hyperpod-inference-gateway'),
      ),
      k8s.deployment('hyperpod-inference-gateway', INFERENCE_NS, {
        image: `${registry}/hyperpod-inference-gateway:${k8s.upstreamTag(i.addonVersion)}`,
        serviceAccountName: 'hyperpod-inference-gateway',
        labels: l('hyperpod-inference-gateway'),
        container: 'gateway',
      }),
    );
  }
  return out;
}
