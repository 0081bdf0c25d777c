/**
 * Elastic Load Balancing v2 (query protocol, API 2015-12-01): the load balancers the AWS Load
 * Balancer Controller creates for Ingresses, their description and their tags.
 */
import { QueryProtocolService, type QueryOperation } from '../protocols/QueryProtocolService';
import type { ServiceContext, Snapshottable } from '../ServiceContext';
import { digits, hex } from '../protocols/ids';
import { decodeToken, page } from '../protocols/pagination';
import {
  memberList,
  optional,
  optionalInt,
  tagList,
  validationError,
  type XmlValue,
} from '../protocols/queryProtocol';
import { AwsError, type AwsRequest } from '../types';

const XMLNS = 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/';
const VERSION = '2015-12-01';
const MAX_TAGS = 50;
const LB_ARN_RE =
  /^arn:aws:elasticloadbalancing:([a-z0-9-]+):(\d{12}):loadbalancer\/(app|net|gwy)\/([A-Za-z0-9-]{1,32})\/([0-9a-f]{16})$/;
const TAG_RE = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

/** Hosted zone ids of ALBs per region (the ones Route 53 alias records use). */
const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-1': 'Z368ELLRRE2KJ0',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
  'eu-central-1': 'Z215JYRZR1TBD5',
  'ap-northeast-1': 'Z14GRHDCWA56QT',
};

interface Tag {
  Key: string;
  Value: string;
}

interface LoadBalancer {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  dnsName: string;
  scheme: 'internet-facing' | 'internal';
  type: 'application' | 'network';
  state: 'active' | 'provisioning' | 'failed';
  vpcId: string;
  createdTime: Date;
  subnets: { zone: string; subnetId: string }[];
  securityGroups: string[];
  tags: Tag[];
}

export interface SeedLoadBalancerInput {
  accountId: string;
  region: string;
  name: string;
  scheme?: 'internet-facing' | 'internal';
  type?: 'application' | 'network';
  state?: 'active' | 'provisioning' | 'failed';
  tags?: Record<string, string>;
}

const notFound = () =>
  new AwsError('LoadBalancerNotFound', 'One or more load balancers not found', 400);

export class Elbv2Service extends QueryProtocolService implements Snapshottable {
  readonly signingName = 'elasticloadbalancing';
  protected readonly api = { version: VERSION, xmlns: XMLNS };
  /** Keyed by ARN; ARNs carry account and region. */
  private readonly lbs = new Map<string, LoadBalancer>();

  constructor(private readonly ctx: ServiceContext) {
    super();
  }

  protected readonly operations: Record<string, QueryOperation> = {
    DescribeLoadBalancers: (req, p) => {
      const names = memberList(p, 'Names');
      const arns = memberList(p, 'LoadBalancerArns');
      if (names.length > 0 && arns.length > 0)
        throw validationError(
          'Load balancer names and load balancer ARNs cannot be specified at the same time',
        );
      const pageSize = optionalInt(p, 'PageSize', 1, 400) ?? 400;
      const start = decodeToken(optional(p, 'Marker'));
      if (start === undefined) throw validationError('Invalid marker');
      const mine = this.inScope(req.accountId, req.region);
      let selected: LoadBalancer[];
      if (names.length > 0) {
        for (const n of names) checkName(n);
        selected = names.map((n) => mine.find((lb) => lb.name === n) ?? throwNotFound());
      } else if (arns.length > 0) {
        if (arns.length > 20)
          throw validationError('You cannot specify more than 20 load balancer ARNs');
        selected = arns.map((a) => this.lb(req, a));
      } else {
        selected = mine;
      }
      const pg = page(selected, start, pageSize);
      return { LoadBalancers: pg.items.map(lbXml), NextMarker: pg.next };
    },
    AddTags: (req, p) => {
      const arns = memberList(p, 'ResourceArns');
      if (arns.length === 0) throw missing('resourceArns');
      const tags = tagList(p);
      if (tags.length === 0) throw missing('tags');
      checkTags(tags);
      const targets = arns.map((a) => this.lb(req, a));
      for (const lb of targets) {
        const merged = lb.tags.map((t) => ({ ...t }));
        for (const t of tags) {
          const i = merged.findIndex((x) => x.Key === t.Key);
          if (i >= 0) merged[i] = { ...t };
          else merged.push({ ...t });
        }
        if (merged.length > MAX_TAGS) {
          throw new AwsError(
            'TooManyTags',
            'The quota for the number of tags that can be assigned to a load balancer has been reached',
            400,
          );
        }
      }
      for (const lb of targets) {
        for (const t of tags) {
          const i = lb.tags.findIndex((x) => x.Key === t.Key);
          if (i >= 0) lb.tags[i] = { ...t };
          else lb.tags.push({ ...t });
        }
      }
      return {};
    },
    RemoveTags: (req, p) => {
      const arns = memberList(p, 'ResourceArns');
      if (arns.length === 0) throw missing('resourceArns');
      const keys = memberList(p, 'TagKeys');
      if (keys.length === 0) throw missing('tagKeys');
      const targets = arns.map((a) => this.lb(req, a));
      for (const lb of targets) lb.tags = lb.tags.filter((t) => !keys.includes(t.Key));
      return {};
    },
    DescribeTags: (req, p) => {
      const arns = memberList(p, 'ResourceArns');
      if (arns.length === 0) throw missing('resourceArns');
      if (arns.length > 20) throw validationError('You cannot specify more than 20 resource ARNs');
      const targets = arns.map((a) => this.lb(req, a));
      return {
        TagDescriptions: targets.map((lb) => ({
          ResourceArn: lb.arn,
          Tags: lb.tags.map((t) => ({ ...t })),
        })),
      };
    },
  };

  /** Creates an ALB as the AWS Load Balancer Controller would; returns its ARN and DNS name. */
  seedLoadBalancer(input: SeedLoadBalancerInput): { arn: string; dnsName: string } {
    checkName(input.name);
    if (this.inScope(input.accountId, input.region).some((lb) => lb.name === input.name)) {
      throw new Error(
        `elbv2.seedLoadBalancer: ${input.name} already exists in ${input.accountId}/${input.region}`,
      );
    }
    const type = input.type ?? 'application';
    const scheme = input.scheme ?? 'internet-facing';
    const arn = `arn:aws:elasticloadbalancing:${input.region}:${input.accountId}:loadbalancer/${type === 'application' ? 'app' : 'net'}/${input.name}/${hex(16)}`;
    const host = `${input.name}-${digits(10)}`;
    const dnsName =
      type === 'application'
        ? `${scheme === 'internal' ? 'internal-' : ''}${host}.${input.region}.elb.amazonaws.com`
        : `${host}.elb.${input.region}.amazonaws.com`;
    const lb: LoadBalancer = {
      accountId: input.accountId,
      region: input.region,
      name: input.name,
      arn,
      dnsName,
      scheme,
      type,
      state: input.state ?? 'active',
      vpcId: `vpc-${hex(17)}`,
      createdTime: new Date(),
      subnets: ['a', 'b'].map((z) => ({
        zone: `${input.region}${z}`,
        subnetId: `subnet-${hex(17)}`,
      })),
      securityGroups: type === 'application' ? [`sg-${hex(17)}`] : [],
      tags: Object.entries(input.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    };
    this.lbs.set(arn, lb);
    return { arn, dnsName };
  }

  /** The tags of a load balancer ARN, for `aws:ResourceTag/<key>`. */
  tagsOf(arn: string): Record<string, string> | undefined {
    const lb = this.lbs.get(arn);
    return lb ? Object.fromEntries(lb.tags.map((t) => [t.Key, t.Value])) : undefined;
  }

  snapshot(): unknown {
    return Object.fromEntries(
      [...this.lbs.values()].map((lb) => [
        lb.arn,
        {
          name: lb.name,
          accountId: lb.accountId,
          region: lb.region,
          dnsName: lb.dnsName,
          scheme: lb.scheme,
          type: lb.type,
          state: lb.state,
          tags: Object.fromEntries(lb.tags.map((t) => [t.Key, t.Value])),
        },
      ]),
    );
  }

  private inScope(accountId: string, region: string): LoadBalancer[] {
    return [...this.lbs.values()]
      .filter((lb) => lb.accountId === accountId && lb.region === region)
      .sort((a, b) => a.createdTime.getTime() - b.createdTime.getTime());
  }

  private lb(req: AwsRequest, arn: string): LoadBalancer {
    if (!LB_ARN_RE.test(arn)) throw validationError(`'${arn}' is not a valid load balancer ARN`);
    const lb = this.lbs.get(arn);
    // A load balancer of another account or region does not exist for this caller.
    if (!lb || lb.accountId !== req.accountId || lb.region !== req.region) throw notFound();
    return lb;
  }
}

function throwNotFound(): never {
  throw notFound();
}

function missing(member: string): AwsError {
  return validationError(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

function checkName(name: string): void {
  if (name.length > 32)
    throw validationError(`The load balancer name '${name}' cannot be longer than '32' characters`);
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(name)) {
    throw validationError(
      `The load balancer name '${name}' must contain only alphanumeric characters or hyphens, and must not begin or end with a hyphen`,
    );
  }
}

function checkTags(tags: Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    if (seen.has(t.Key))
      throw new AwsError('DuplicateTagKeys', `Tag key '${t.Key}' is duplicated`, 400);
    seen.add(t.Key);
    if (t.Key.length < 1 || t.Key.length > 128 || !TAG_RE.test(t.Key)) {
      throw validationError(
        `1 validation error detected: Value '${t.Key}' at 'tags.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`,
      );
    }
    if (t.Value.length > 256 || !TAG_RE.test(t.Value)) {
      throw validationError(
        `1 validation error detected: Value '${t.Value}' at 'tags.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$`,
      );
    }
    if (t.Key.startsWith('aws:'))
      throw validationError(`Tag key '${t.Key}' cannot start with 'aws:'`);
  }
  if (tags.length > MAX_TAGS)
    throw new AwsError(
      'TooManyTags',
      'The quota for the number of tags that can be assigned to a load balancer has been reached',
      400,
    );
}

function lbXml(lb: LoadBalancer): Record<string, XmlValue> {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: HOSTED_ZONES[lb.region] ?? 'Z35SXDOTRQ7X7K',
    CreatedTime: lb.createdTime,
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((s) => ({
      ZoneName: s.zone,
      SubnetId: s.subnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: lb.type === 'application' ? lb.securityGroups : undefined,
    IpAddressType: 'ipv4',
  };
}
