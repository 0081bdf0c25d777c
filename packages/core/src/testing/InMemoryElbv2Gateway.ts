/** Elbv2Gateway in memory: load balancers and their tags. */
import type { Elbv2Gateway, LoadBalancer, LoadBalancerQuery } from '../ports/Elbv2Gateway';
import { GatewayError } from '../ports/GatewayError';
import { FakeFaults } from './FakeFaults';
import { clone } from './clone';

export class InMemoryElbv2Gateway implements Elbv2Gateway {
  readonly region: string;
  readonly accountId: string;
  readonly faults = new FakeFaults();
  private readonly lbs = new Map<string, { lb: LoadBalancer; tags: Record<string, string> }>();
  private seq = 0;

  constructor(opts: { region?: string; accountId?: string } = {}) {
    this.region = opts.region ?? 'us-east-1';
    this.accountId = opts.accountId ?? '111111111111';
  }

  seedLoadBalancer(input: {
    name: string;
    tags?: Record<string, string>;
    scheme?: string;
  }): LoadBalancer {
    const id = (++this.seq).toString(16).padStart(16, '0');
    const lb: LoadBalancer = {
      name: input.name,
      arn: `arn:aws:elasticloadbalancing:${this.region}:${this.accountId}:loadbalancer/app/${input.name}/${id}`,
      dnsName: `${input.name}-${id.slice(-10)}.${this.region}.elb.amazonaws.com`,
      type: 'application',
      scheme: input.scheme ?? 'internet-facing',
      state: 'active',
      createdAt: new Date().toISOString(),
    };
    this.lbs.set(lb.arn, { lb, tags: { ...(input.tags ?? {}) } });
    return clone(lb);
  }

  async describeLoadBalancers(query: LoadBalancerQuery = {}): Promise<LoadBalancer[]> {
    this.faults.check('elasticloadbalancing', 'DescribeLoadBalancers');
    if (query.names?.length && query.arns?.length)
      throw invalid(
        'Load balancer names and load balancer ARNs cannot be specified at the same time',
        'DescribeLoadBalancers',
      );
    const all = [...this.lbs.values()].map((x) => x.lb);
    if (query.arns?.length)
      return query.arns.map((a) => clone(this.must(a, 'DescribeLoadBalancers').lb));
    if (query.names?.length) {
      return query.names.map((n) => {
        const lb = all.find((x) => x.name === n);
        if (!lb) throw notFound('DescribeLoadBalancers');
        return clone(lb);
      });
    }
    return clone(all);
  }

  async getTags(arns: string[]): Promise<Record<string, Record<string, string>>> {
    this.faults.check('elasticloadbalancing', 'DescribeTags');
    return Object.fromEntries(arns.map((a) => [a, { ...this.must(a, 'DescribeTags').tags }]));
  }

  async addTags(arns: string[], tags: Record<string, string>): Promise<void> {
    this.faults.check('elasticloadbalancing', 'AddTags');
    const targets = arns.map((a) => this.must(a, 'AddTags'));
    for (const t of targets) Object.assign(t.tags, tags);
  }

  async removeTags(arns: string[], keys: string[]): Promise<void> {
    this.faults.check('elasticloadbalancing', 'RemoveTags');
    const targets = arns.map((a) => this.must(a, 'RemoveTags'));
    for (const t of targets) for (const k of keys) delete t.tags[k];
  }

  private must(arn: string, operation: string) {
    if (!/^arn:aws:elasticloadbalancing:/.test(arn))
      throw invalid(`'${arn}' is not a valid load balancer ARN`, operation);
    const x = this.lbs.get(arn);
    if (!x) throw notFound(operation);
    return x;
  }
}

function notFound(operation: string): GatewayError {
  return new GatewayError(
    'NotFound',
    'One or more load balancers not found',
    'elasticloadbalancing',
    operation,
    'LoadBalancerNotFound',
    400,
  );
}

function invalid(message: string, operation: string): GatewayError {
  return new GatewayError(
    'InvalidParameter',
    message,
    'elasticloadbalancing',
    operation,
    'ValidationError',
    400,
  );
}
