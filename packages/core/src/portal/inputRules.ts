/**
 * The allowed shape of each input the portal's HTTP contract and the CLI take from people: one
 * pattern and one sentence each, so the CLI refuses before sending exactly what the backend
 * would refuse, and says it the same way. The backend wraps them in zod; the CLI tests them.
 */

export interface InputRule {
  pattern: RegExp;
  /** What a value must be, after "must be" (`--to must be ...`, `target: must be ...`). */
  rule: string;
}

/** An upgrade's target: an add-on version, or `default` / `latest` for the cluster's Kubernetes. */
export const UPGRADE_TARGET: InputRule = {
  pattern: /^(default|latest|v\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)$/,
  rule: 'a version like v1.19.5-eksbuild.3, `default` or `latest`',
};

/** EKS add-on names: AWS add-ons are kebab-case, marketplace ones `vendor_product`. */
export const EKS_ADDON_NAME: InputRule = {
  pattern: /^[a-z0-9][a-z0-9._-]{0,99}$/,
  rule: 'an EKS add-on name (lower case letters, digits, and . _ -)',
};

/** A cluster as the portal names it: its ARN, `region/name`, or its name (1 to 300 characters). */
export const CLUSTER_REF: InputRule = {
  pattern: /^[A-Za-z0-9][\w:/.-]{0,299}$/,
  rule: 'an EKS cluster ARN, region/name, or a cluster name',
};

/** The Idempotency-Key of a mutating call. */
export const IDEMPOTENCY_KEY: InputRule = {
  pattern: /^[A-Za-z0-9_.:-]{8,128}$/,
  rule: '8 to 128 letters, digits or _.:-',
};
