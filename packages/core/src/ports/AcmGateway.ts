/**
 * The ACM operations the product uses on the certificates the inference operator's TLS setup
 * references. One gateway per account and region.
 * Adapters: AwsSdkAcmGateway (core-node), InMemoryAcmGateway (tests).
 */

export interface AcmCertificateSummary {
  arn: string;
  domainName: string;
  status: string;
}

export interface AcmCertificate extends AcmCertificateSummary {
  subjectAlternativeNames: string[];
  /** ARNs of resources (load balancers) using it. */
  inUseBy: string[];
  type?: string;
  /** ISO-8601. */
  notAfter?: string;
}

export interface AcmGateway {
  readonly region: string;
  listCertificates(): Promise<AcmCertificateSummary[]>;
  /** NotFound when no such certificate. */
  describeCertificate(arn: string): Promise<AcmCertificate>;
  listTags(arn: string): Promise<Record<string, string>>;
  addTags(arn: string, tags: Record<string, string>): Promise<void>;
  removeTags(arn: string, keys: string[]): Promise<void>;
}
