/**
 * The SageMaker HyperPod Inference Operator's CustomResourceDefinitions (group
 * inference.sagemaker.aws.amazon.com), as the operator's Helm chart installs them, with the
 * schemas trimmed to their top-level shape and required fields. Scenarios and tests create them
 * like any CRD; nothing about them is built into the API server.
 */
import type { KubeObject } from './types';

export const INFERENCE_GROUP = 'inference.sagemaker.aws.amazon.com';

interface CrdSpec {
  kind: string;
  plural: string;
  required: string[];
  properties: Record<string, unknown>;
  /** The operator scales these (spec.replicas / status.replicas). */
  scalable: boolean;
}

const obj = (properties: Record<string, unknown> = {}, required?: string[]) => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
  'x-kubernetes-preserve-unknown-fields': true,
});
const str = { type: 'string' };
const int = { type: 'integer' };

const SPECS: CrdSpec[] = [
  {
    kind: 'InferenceEndpointConfig',
    plural: 'inferenceendpointconfigs',
    required: ['modelName', 'modelSourceConfig', 'worker'],
    properties: {
      modelName: str,
      modelVersion: str,
      endpointName: str,
      instanceType: str,
      replicas: int,
      modelSourceConfig: obj(
        {
          modelSourceType: { type: 'string', enum: ['fsx', 's3', 'huggingface'] },
          modelLocation: str,
          prefetchEnabled: { type: 'boolean' },
        },
        ['modelSourceType'],
      ),
      worker: obj(
        { image: str, modelInvocationPort: obj(), modelVolumeMount: obj(), resources: obj() },
        ['image', 'modelInvocationPort', 'modelVolumeMount', 'resources'],
      ),
      tlsConfig: obj({ tlsCertificateOutputS3Uri: str }),
      autoScalingSpec: obj(),
      metrics: obj(),
      loadBalancer: obj(),
      kvCacheSpec: obj(),
      intelligentRoutingSpec: obj(),
      tags: { type: 'array', items: obj() },
    },
    scalable: true,
  },
  {
    kind: 'JumpStartModel',
    plural: 'jumpstartmodels',
    required: ['model', 'server'],
    properties: {
      model: obj(
        { modelId: str, modelVersion: str, acceptEula: { type: 'boolean' }, modelHubName: str },
        ['acceptEula', 'modelId'],
      ),
      server: obj({ instanceType: str, executionRole: str }, ['instanceType']),
      replicas: int,
      sageMakerEndpoint: obj({ name: str }),
      tlsConfig: obj(),
      autoScalingSpec: obj(),
      metrics: obj(),
      loadBalancer: obj(),
      maxDeployTimeInSeconds: int,
    },
    scalable: true,
  },
  {
    kind: 'SageMakerEndpointRegistration',
    plural: 'sagemakerendpointregistrations',
    required: [
      'eksClusterDetails',
      'executionRole',
      'imageUri',
      'instanceType',
      'loadBalancerHostName',
      'name',
      'restApiId',
      'tlsConfig',
    ],
    properties: {
      name: str,
      executionRole: str,
      imageUri: str,
      instanceType: str,
      loadBalancerHostName: str,
      restApiId: str,
      invocationEndpoint: str,
      eksClusterDetails: obj(
        {
          arn: str,
          name: str,
          vpcId: str,
          clusterSecurityGroupId: str,
          securityGroupIds: { type: 'array', items: str },
          subnetIds: { type: 'array', items: str },
        },
        ['arn', 'clusterSecurityGroupId', 'name', 'securityGroupIds', 'subnetIds', 'vpcId'],
      ),
      tlsConfig: obj(
        { tlsCertificateOutputS3Bucket: str, tlsCertificateS3Keys: { type: 'array', items: str } },
        ['tlsCertificateOutputS3Bucket', 'tlsCertificateS3Keys'],
      ),
      tags: { type: 'array', items: obj() },
    },
    scalable: false,
  },
];

function version(spec: CrdSpec, name: string, storage: boolean): Record<string, unknown> {
  return {
    name,
    served: true,
    storage,
    schema: {
      openAPIV3Schema: {
        description: `${spec.kind} is the Schema for the ${spec.plural} API.`,
        type: 'object',
        properties: {
          apiVersion: str,
          kind: str,
          metadata: { type: 'object' },
          spec: { ...obj(spec.properties, spec.required) },
          status: obj(),
        },
      },
    },
    subresources: {
      ...(spec.scalable
        ? {
            scale: {
              labelSelectorPath: '.status.selector',
              specReplicasPath: '.spec.replicas',
              statusReplicasPath: '.status.replicas',
            },
          }
        : {}),
      status: {},
    },
  };
}

/**
 * The three inference CRDs (served versions v1, the storage version, and v1alpha1). `labels` are
 * added to each, e.g. Helm's `app.kubernetes.io/managed-by: Helm`.
 */
export function hyperpodInferenceCrds(
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): KubeObject[] {
  return SPECS.map((spec) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${spec.plural}.${INFERENCE_GROUP}`,
      annotations: { 'controller-gen.kubebuilder.io/version': 'v0.16.4', ...annotations },
      ...(Object.keys(labels).length ? { labels } : {}),
    },
    spec: {
      group: INFERENCE_GROUP,
      names: {
        kind: spec.kind,
        listKind: `${spec.kind}List`,
        plural: spec.plural,
        singular: spec.kind.toLowerCase(),
      },
      scope: 'Namespaced',
      versions: [version(spec, 'v1', true), version(spec, 'v1alpha1', false)],
    },
  }));
}
