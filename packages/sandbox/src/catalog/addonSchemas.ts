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
