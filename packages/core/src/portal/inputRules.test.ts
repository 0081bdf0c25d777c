import { CLUSTER_REF, EKS_ADDON_NAME, IDEMPOTENCY_KEY, UPGRADE_TARGET } from './inputRules';

const accepts = (r: { pattern: RegExp }, ok: string[], bad: string[]) => {
  for (const v of ok) expect([v, r.pattern.test(v)]).toEqual([v, true]);
  for (const v of bad) expect([v, r.pattern.test(v)]).toEqual([v, false]);
};

describe('the contract input rules', () => {
  it('UPGRADE_TARGET: an add-on version, default or latest', () => {
    accepts(
      UPGRADE_TARGET,
      ['default', 'latest', 'v1.19.5-eksbuild.3', 'v1.0.0'],
      ['1.19.5', 'v1.19', 'newest', 'v1.0.0-eks build', 'v1.0.0;rm'],
    );
  });

  it('EKS_ADDON_NAME: AWS kebab-case and marketplace vendor_product names', () => {
    accepts(
      EKS_ADDON_NAME,
      ['vpc-cni', 'amazon-sagemaker-hyperpod-inference', 'solo-io_istio', 'a'],
      ['VPC-CNI', '-x', '', 'a'.repeat(101), 'a/b'],
    );
  });

  it('CLUSTER_REF: an ARN, region/name or name, at most 300 characters', () => {
    accepts(
      CLUSTER_REF,
      ['arn:aws:eks:us-west-2:111122223333:cluster/prod', 'us-west-2/prod', 'prod'],
      ['', '/prod', 'prod name', 'p'.repeat(301)],
    );
  });

  it('IDEMPOTENCY_KEY: 8 to 128 safe characters (a UUID fits)', () => {
    accepts(
      IDEMPOTENCY_KEY,
      ['0f8e6c1a-3b9d-4e51-9a7c-2d4b8f1e6a30', 'retry:42:ab'],
      ['short', 'k'.repeat(129), 'has space!'],
    );
  });
});
