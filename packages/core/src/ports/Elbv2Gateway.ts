/**
 * The Elastic Load Balancing v2 operations the product uses: finding the load balancers the AWS
 * Load Balancer Controller made for an Ingress, and their tags. One gateway per account and region.
 * Adapters: AwsSdkElbv2Gateway (core-node), InMemoryElbv2Gateway (tests).
 */

export interface LoadBalancer {
  name: string;
  arn: string;
  dnsName: string;
  type?: string;
  scheme?: string;
  state?: string;
  vpcId?: string;
  /** ISO-8601. */
  createdAt?: string;
}

export interface LoadBalancerQuery {
  names?: string[];
  arns?: string[];
}

export interface Elbv2Gateway {
  readonly region: string;
  /** Every load balancer when the query is empty; NotFound when a named one does not exist. */
  describeLoadBalancers(query?: LoadBalancerQuery): Promise<LoadBalancer[]>;
  /** Tags per load balancer ARN. */
  getTags(arns: string[]): Promise<Record<string, Record<string, string>>>;
  addTags(arns: string[], tags: Record<string, string>): Promise<void>;
  removeTags(arns: string[], keys: string[]): Promise<void>;
}
