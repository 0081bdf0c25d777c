/**
 * JSON Schema (draft-07) building blocks for add-on configuration schemas, in the shape
 * DescribeAddonConfiguration returns them: a closed object of the keys an add-on version accepts.
 */

export type JsonSchema = Record<string, unknown>;

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

/** An IAM role ARN, optionally with a required role-name prefix. */
export function roleArn(namePrefix = ''): JsonSchema {
  return {
    type: 'string',
    description: namePrefix
      ? `IAM role ARN; the role name must start with ${namePrefix}`
      : 'IAM role ARN',
    pattern: `^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([\\w+=,.@-]+/)*${namePrefix}[\\w+=,.@-]*$`,
  };
}

const str: JsonSchema = { type: 'string' };
const quantity: JsonSchema = { type: ['string', 'number'] };

export const resources: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limits: {
      type: 'object',
      additionalProperties: false,
      properties: { cpu: quantity, memory: quantity },
    },
    requests: {
      type: 'object',
      additionalProperties: false,
      properties: { cpu: quantity, memory: quantity },
    },
  },
};

export const tolerations: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    properties: {
      key: str,
      operator: { type: 'string', enum: ['Exists', 'Equal'] },
      value: str,
      effect: { type: 'string', enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
      tolerationSeconds: { type: 'integer' },
    },
  },
};

export const nodeSelector: JsonSchema = {
  type: 'object',
  additionalProperties: { type: 'string' },
};
export const affinity: JsonSchema = { type: 'object' };
export const stringMap: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };
export const replicaCount: JsonSchema = { type: 'integer', minimum: 1, maximum: 20 };
/**
 * The same knob for add-ons whose configuration schema follows their upstream chart's values, as
 * EKS community add-ons' schemas do: metrics-server's chart (3.12.2) calls it `replicas`, so a
 * Helm release's `replicas` carries over under the same key.
 */
export const replicas: JsonSchema = replicaCount;

/** Scheduling and sizing keys most EKS add-ons accept. */
export const podKeys: Record<string, JsonSchema> = {
  resources,
  tolerations,
  nodeSelector,
  affinity,
  podAnnotations: stringMap,
  podLabels: stringMap,
};

export function objectSchema(
  properties: Record<string, JsonSchema>,
  required?: string[],
): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required && required.length ? { required } : {}),
  };
}

/** The top-level configuration schema of one add-on version. */
export function configSchema(
  title: string,
  properties: Record<string, JsonSchema>,
  required?: string[],
): JsonSchema {
  return { $schema: DRAFT_07, title, ...objectSchema(properties, required) };
}

// ---- the schemas of the catalog's add-ons --------------------------------------------------

const s3BucketName: JsonSchema = {
  type: 'string',
  description: 'Name of the S3 bucket for TLS certificates (bare name, no s3:// prefix)',
  pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
};
const hyperpodClusterArn: JsonSchema = {
  type: 'string',
  pattern: '^arn:aws(-[a-z]+)*:sagemaker:[a-z0-9-]+:[0-9]{12}:cluster/[a-z0-9]+$',
};

export function inferenceSchema(generation: 1 | 2 | 3): JsonSchema {
  const props: Record<string, JsonSchema> = {
    executionRoleArn: roleArn('SageMakerHyperPodInference'),
    tlsCertificateS3Bucket: s3BucketName,
    hyperpodClusterArn,
    jumpstartGatedModelDownloadRoleArn: roleArn(),
    alb: objectSchema({
      serviceAccount: objectSchema({ create: { type: 'boolean' }, roleArn: roleArn() }),
    }),
    keda: objectSchema({
      auth: objectSchema({ aws: objectSchema({ irsa: objectSchema({ roleArn: roleArn() }) }) }),
    }),
    tolerations: podKeys['tolerations']!,
    nodeSelector: podKeys['nodeSelector']!,
    affinity: podKeys['affinity']!,
  };
  if (generation >= 2) props['inferenceOperator'] = objectSchema({ enabled: { type: 'boolean' } });
  if (generation >= 3) {
    props['inferenceGateway'] = objectSchema({
      enabled: { type: 'boolean' },
      serviceAccount: objectSchema({ roleArn: roleArn() }),
    });
  }
  return configSchema('amazon-sagemaker-hyperpod-inference configuration', props, [
    'executionRoleArn',
    'tlsCertificateS3Bucket',
    'hyperpodClusterArn',
  ]);
}

// ---------------------------------------------------------------------------------------------
// The other add-ons

/** Schema of an add-on whose only knobs are the common scheduling / sizing keys. */
export const simpleSchema = (name: string, extra: Record<string, JsonSchema> = {}) =>
  configSchema(`${name} configuration`, { ...podKeys, ...extra });

export const withReplicas = (name: string, extra: Record<string, JsonSchema> = {}) =>
  simpleSchema(name, { replicaCount, ...extra });

export function vpcCniSchema(): JsonSchema {
  return configSchema('vpc-cni configuration', {
    ...podKeys,
    env: { type: 'object', additionalProperties: { type: 'string' } },
    enableNetworkPolicy: { type: 'string', enum: ['true', 'false'] },
    enableWindowsIpam: { type: 'string', enum: ['true', 'false'] },
  });
}

export function corednsSchema(): JsonSchema {
  return configSchema('coredns configuration', {
    ...podKeys,
    replicaCount,
    corefile: { type: 'string' },
    autoScaling: objectSchema({
      enabled: { type: 'boolean' },
      minReplicas: { type: 'integer', minimum: 2 },
      maxReplicas: { type: 'integer', maximum: 1000 },
    }),
  });
}

export function kubeProxySchema(): JsonSchema {
  return configSchema('kube-proxy configuration', {
    ...podKeys,
    mode: { type: 'string', enum: ['iptables', 'ipvs', 'nftables'] },
  });
}

export function ebsSchema(): JsonSchema {
  return configSchema('aws-ebs-csi-driver configuration', {
    defaultStorageClass: objectSchema({ enabled: { type: 'boolean' } }),
    controller: objectSchema({
      ...podKeys,
      replicaCount,
      extraVolumeTags: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    node: objectSchema({ ...podKeys, tolerateAllTaints: { type: 'boolean' } }),
    ...podKeys,
  });
}

export function cloudwatchSchema(): JsonSchema {
  return configSchema('amazon-cloudwatch-observability configuration', {
    ...podKeys,
    agent: objectSchema({
      config: { type: 'object' },
      mode: { type: 'string', enum: ['daemonset', 'deployment'] },
    }),
    containerLogs: objectSchema({ enabled: { type: 'boolean' } }),
  });
}
