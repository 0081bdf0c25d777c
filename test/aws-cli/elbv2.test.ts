/**
 * The sandbox's ELBv2 through the aws CLI (`aws elbv2`).
 */
import { Elbv2Service } from '@hyperpod/sandbox/testing';
import { runAws, startAwsHarness, type AwsHarness } from '../support/awsHarness';

let h: AwsHarness<{ elbv2: Elbv2Service }>;
let lb: { arn: string; dnsName: string };
beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ elbv2: new Elbv2Service(ctx) }));
  lb = h.services.elbv2.seedLoadBalancer({
    accountId: '111111111111',
    region: 'us-west-2',
    name: 'k8s-hyperpod-inferenc-3f9a2c1b7d',
    tags: { 'elbv2.k8s.aws/cluster': 'hp-prod' },
  });
});
afterAll(() => h.stop());

const aws = (...args: string[]) => runAws(h, args, { region: 'us-west-2' });

test('describe-load-balancers, add-tags, remove-tags, describe-tags', async () => {
  const [described, missing, added] = await Promise.all([
    aws('elbv2', 'describe-load-balancers', '--names', 'k8s-hyperpod-inferenc-3f9a2c1b7d'),
    aws('elbv2', 'describe-load-balancers', '--names', 'k8s-missing'),
    aws(
      'elbv2',
      'add-tags',
      '--resource-arns',
      lb.arn,
      '--tags',
      'Key=hyperpod.aws/migrated,Value=true',
      'Key=owner,Value=platform',
    ),
  ]);
  expect(described.json.LoadBalancers[0]).toMatchObject({
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    Type: 'application',
    State: { Code: 'active' },
  });
  expect(missing.code).toBeGreaterThan(0);
  expect(missing.stderr).toContain('(LoadBalancerNotFound)');
  expect(added.code).toBe(0);
  expect(
    (await aws('elbv2', 'remove-tags', '--resource-arns', lb.arn, '--tag-keys', 'owner')).code,
  ).toBe(0);
  const tags = await aws('elbv2', 'describe-tags', '--resource-arns', lb.arn);
  expect(tags.json.TagDescriptions).toEqual([
    {
      ResourceArn: lb.arn,
      Tags: [
        { Key: 'elbv2.k8s.aws/cluster', Value: 'hp-prod' },
        { Key: 'hyperpod.aws/migrated', Value: 'true' },
      ],
    },
  ]);
});
