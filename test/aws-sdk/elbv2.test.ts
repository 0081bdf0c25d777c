/**
 * The sandbox's Elastic Load Balancing v2 through the real AWS SDK v3 client (awsQuery protocol).
 */
import {
  AddTagsCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
  RemoveTagsCommand,
  paginateDescribeLoadBalancers,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { Elbv2Service } from '@hyperpod/sandbox/testing';
import { signedFetch } from '../support/signedFetch';
import { startAwsHarness, type AwsHarness, errorOf, unsignedQuery } from '../support/awsHarness';

type Services = { elbv2: Elbv2Service };
let h: AwsHarness<Services>;
let elb: ElasticLoadBalancingV2Client;
let ingressLb: { arn: string; dnsName: string };

beforeAll(async () => {
  h = await startAwsHarness((ctx) => ({ elbv2: new Elbv2Service(ctx) }));
  elb = new ElasticLoadBalancingV2Client({ ...h.clientConfig('us-west-2'), maxAttempts: 1 });
  ingressLb = h.services.elbv2.seedLoadBalancer({
    accountId: '111111111111',
    region: 'us-west-2',
    name: 'k8s-hyperpod-inferenc-3f9a2c1b7d',
    tags: {
      'elbv2.k8s.aws/cluster': 'hp-prod',
      'ingress.k8s.aws/stack': 'hyperpod-inference-system/inference-ingress',
    },
  });
  for (const n of ['k8s-team-a-web-0a1b2c3d4e', 'k8s-team-b-api-5f6e7d8c9b'])
    h.services.elbv2.seedLoadBalancer({ accountId: '111111111111', region: 'us-west-2', name: n });
  h.services.elbv2.seedLoadBalancer({
    accountId: '111111111111',
    region: 'us-east-1',
    name: 'k8s-other-region-lb',
  });
});
afterAll(async () => {
  elb.destroy();
  await h.stop();
});

test('DescribeLoadBalancers by name returns the ALB as the controller created it', async () => {
  const out = await elb.send(
    new DescribeLoadBalancersCommand({ Names: ['k8s-hyperpod-inferenc-3f9a2c1b7d'] }),
  );
  expect(out.LoadBalancers).toHaveLength(1);
  const lb = out.LoadBalancers![0]!;
  expect(lb.LoadBalancerArn).toMatch(
    /^arn:aws:elasticloadbalancing:us-west-2:111111111111:loadbalancer\/app\/k8s-hyperpod-inferenc-3f9a2c1b7d\/[0-9a-f]{16}$/,
  );
  expect(lb.DNSName).toMatch(
    /^k8s-hyperpod-inferenc-3f9a2c1b7d-\d{10}\.us-west-2\.elb\.amazonaws\.com$/,
  );
  expect(lb.DNSName).toBe(ingressLb.dnsName);
  expect(lb).toMatchObject({
    Scheme: 'internet-facing',
    Type: 'application',
    State: { Code: 'active' },
    IpAddressType: 'ipv4',
    CanonicalHostedZoneId: 'Z1H1FL5HABSF5',
  });
  expect(lb.CreatedTime).toBeInstanceOf(Date);
  expect(lb.AvailabilityZones?.map((z) => z.ZoneName)).toEqual(['us-west-2a', 'us-west-2b']);
});

test('DescribeLoadBalancers by ARN, all in the region, and paged with Marker / PageSize', async () => {
  const byArn = await elb.send(
    new DescribeLoadBalancersCommand({ LoadBalancerArns: [ingressLb.arn] }),
  );
  expect(byArn.LoadBalancers?.[0]?.LoadBalancerName).toBe('k8s-hyperpod-inferenc-3f9a2c1b7d');
  const all = await elb.send(new DescribeLoadBalancersCommand({}));
  expect(all.LoadBalancers?.map((l) => l.LoadBalancerName)).toEqual([
    'k8s-hyperpod-inferenc-3f9a2c1b7d',
    'k8s-team-a-web-0a1b2c3d4e',
    'k8s-team-b-api-5f6e7d8c9b',
  ]);
  const first = await elb.send(new DescribeLoadBalancersCommand({ PageSize: 2 }));
  expect(first.LoadBalancers).toHaveLength(2);
  expect(first.NextMarker).toBeTruthy();
  const names: string[] = [];
  for await (const pg of paginateDescribeLoadBalancers({ client: elb, pageSize: 1 }, {}))
    names.push(...(pg.LoadBalancers ?? []).map((l) => l.LoadBalancerName!));
  expect(names).toHaveLength(3);
});

test('a missing load balancer is LoadBalancerNotFound (400)', async () => {
  const err = await errorOf(
    elb.send(new DescribeLoadBalancersCommand({ Names: ['k8s-nope-nope-0000000000'] })),
  );
  expect(err).toMatchObject({
    name: 'LoadBalancerNotFoundException',
    status: 400,
    message: 'One or more load balancers not found',
  });
  // Another region's load balancer does not exist here.
  const east = h.services.elbv2.snapshot() as Record<string, { region: string }>;
  const eastArn = Object.entries(east).find(([, v]) => v.region === 'us-east-1')![0];
  expect((await errorOf(elb.send(new DescribeTagsCommand({ ResourceArns: [eastArn] })))).name).toBe(
    'LoadBalancerNotFoundException',
  );
  const badArn = await errorOf(elb.send(new DescribeTagsCommand({ ResourceArns: ['not-an-arn'] })));
  expect(badArn).toMatchObject({ name: 'ValidationError', status: 400 });
  const both = await errorOf(
    elb.send(new DescribeLoadBalancersCommand({ Names: ['a'], LoadBalancerArns: [ingressLb.arn] })),
  );
  expect(both.name).toBe('ValidationError');
});

test('AddTags adds alongside existing tags; RemoveTags removes only the given keys; DescribeTags shows them', async () => {
  await elb.send(
    new AddTagsCommand({
      ResourceArns: [ingressLb.arn],
      Tags: [{ Key: 'hyperpod.aws/migrated', Value: 'true' }],
    }),
  );
  let tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [ingressLb.arn] }));
  expect(tags.TagDescriptions).toEqual([
    {
      ResourceArn: ingressLb.arn,
      Tags: [
        { Key: 'elbv2.k8s.aws/cluster', Value: 'hp-prod' },
        { Key: 'ingress.k8s.aws/stack', Value: 'hyperpod-inference-system/inference-ingress' },
        { Key: 'hyperpod.aws/migrated', Value: 'true' },
      ],
    },
  ]);
  await elb.send(
    new RemoveTagsCommand({
      ResourceArns: [ingressLb.arn],
      TagKeys: ['hyperpod.aws/migrated', 'not-there'],
    }),
  );
  tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [ingressLb.arn] }));
  expect(tags.TagDescriptions?.[0]?.Tags?.map((t) => t.Key)).toEqual([
    'elbv2.k8s.aws/cluster',
    'ingress.k8s.aws/stack',
  ]);
});

test('AddTags refuses duplicate keys and going past 50 tags', async () => {
  const dup = await errorOf(
    elb.send(
      new AddTagsCommand({
        ResourceArns: [ingressLb.arn],
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'a', Value: '2' },
        ],
      }),
    ),
  );
  expect(dup).toMatchObject({
    name: 'DuplicateTagKeysException',
    status: 400,
    message: "Tag key 'a' is duplicated",
  });
  const many = Array.from({ length: 49 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
  const over = await errorOf(
    elb.send(new AddTagsCommand({ ResourceArns: [ingressLb.arn], Tags: many })),
  );
  expect(over).toMatchObject({ name: 'TooManyTagsException', status: 400 });
  // Nothing was added by the refused call.
  const tags = await elb.send(new DescribeTagsCommand({ ResourceArns: [ingressLb.arn] }));
  expect(tags.TagDescriptions?.[0]?.Tags).toHaveLength(2);
});

test('bad input on the wire: missing Action, unknown Action, missing parameter, unsigned', async () => {
  const post = (body: string) =>
    signedFetch({
      endpoint: h.endpoint,
      service: 'elasticloadbalancing',
      region: 'us-west-2',
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
      credentials: h.credentials(),
    });
  expect((await post('Version=2015-12-01')).text).toContain('<Code>MissingAction</Code>');
  const unknown = await post('Action=CreateLoadBalancer&Version=2015-12-01&Name=x');
  expect(unknown.status).toBe(400);
  expect(unknown.text).toContain('<Code>InvalidAction</Code>');
  const missing = await post('Action=DescribeTags&Version=2015-12-01');
  expect(missing.status).toBe(400);
  expect(missing.text).toContain('<Code>ValidationError</Code>');
  const unsigned = await unsignedQuery(h, 'Action=DescribeLoadBalancers&Version=2015-12-01');
  expect(unsigned.status).toBe(403);
  expect(unsigned.text).toContain('<Code>MissingAuthenticationToken</Code>');
});
