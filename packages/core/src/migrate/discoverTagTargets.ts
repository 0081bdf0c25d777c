/**
 * What a migration tags, found from the operator's own objects: the certificates and TLS
 * certificate objects its JumpStartModels and InferenceEndpointConfigs name, and the load balancers
 * and certificates of Ingresses; each with the tags it has now.
 */
import { s3BucketName } from './helmValueNames';
import { getPath } from './manifest';
import type { DiscoveredRelease, MigrationDiscovery } from './MigrationDiscovery';
import type { DiscoverMigrationDeps } from './discoverMigration';

const GROUP = 'inference.sagemaker.aws.amazon.com';

export async function discoverTagTargets(
  deps: DiscoverMigrationDeps,
  d: MigrationDiscovery,
  rel: DiscoveredRelease,
  read: <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>,
): Promise<void> {
  const certs = new Map<string, string>();
  const objects = new Map<string, { bucket: string; key: string; foundIn: string }>();
  const hostnames = new Map<string, string>();
  const defaultBucket = (() => {
    const v = getPath(rel.values, 'tlsCertificateS3Bucket');
    return typeof v === 'string' && v ? s3BucketName(v) : undefined;
  })();
  for (const kind of ['JumpStartModel', 'InferenceEndpointConfig']) {
    d.reads.push({ type: 'kube', apiVersion: `${GROUP}/v1`, kind, name: '*', namespace: '*' });
    const items = await read(`list ${kind}`, () => deps.kube.list(`${GROUP}/v1`, kind));
    for (const o of items ?? []) {
      const where = `${kind} ${o.metadata.namespace}/${o.metadata.name}`;
      const tls = (getPath(o, 'status.tlsCertificate') ?? {}) as Record<string, unknown>;
      for (const arn of [
        getPath(o, 'status.certificateArn'),
        tls['certificateARN'],
        tls['certificateArn'],
      ])
        if (typeof arn === 'string' && arn.startsWith('arn:')) certs.set(arn, where);
      const bucket =
        (typeof tls['tlsCertificateOutputS3Bucket'] === 'string'
          ? (tls['tlsCertificateOutputS3Bucket'] as string)
          : undefined) ??
        (typeof getPath(o, 'spec.tlsCertificateS3Bucket') === 'string'
          ? s3BucketName(getPath(o, 'spec.tlsCertificateS3Bucket') as string)
          : undefined) ??
        defaultBucket;
      const keys = Array.isArray(tls['tlsCertificateS3Keys']) ? tls['tlsCertificateS3Keys'] : [];
      for (const key of keys)
        if (typeof key === 'string' && bucket)
          objects.set(`${bucket}/${key}`, { bucket, key, foundIn: where });
    }
  }
  d.reads.push({
    type: 'kube',
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    name: '*',
    namespace: '*',
  });
  const ingresses = await read('list Ingress', () =>
    deps.kube.list('networking.k8s.io/v1', 'Ingress'),
  );
  for (const ing of ingresses ?? []) {
    const where = `Ingress ${ing.metadata.namespace}/${ing.metadata.name}`;
    const ann = ing.metadata.annotations?.['alb.ingress.kubernetes.io/certificate-arn'];
    for (const arn of (ann ?? '').split(',').map((s) => s.trim()))
      if (arn.startsWith('arn:')) certs.set(arn, where);
    const lbs = getPath(ing, 'status.loadBalancer.ingress');
    for (const lb of Array.isArray(lbs) ? lbs : []) {
      const host = (lb as { hostname?: unknown }).hostname;
      if (typeof host === 'string') hostnames.set(host.toLowerCase(), where);
    }
  }
  if (hostnames.size > 0 && deps.elbv2) {
    const all = await read('DescribeLoadBalancers', () => deps.elbv2!.describeLoadBalancers());
    const matched = (all ?? []).filter((lb) => hostnames.has(lb.dnsName.toLowerCase()));
    if (matched.length > 0) {
      const tags = await read('DescribeTags (load balancers)', () =>
        deps.elbv2!.getTags(matched.map((lb) => lb.arn)),
      );
      for (const lb of matched) {
        d.reads.push({ type: 'load-balancer', arn: lb.arn, name: lb.name });
        if (tags)
          d.tagTargets.push({
            target: { type: 'load-balancer', arn: lb.arn, name: lb.name },
            tags: tags[lb.arn] ?? {},
            foundIn: hostnames.get(lb.dnsName.toLowerCase())!,
          });
      }
    }
  }
  if (deps.acm)
    for (const [arn, where] of certs) {
      d.reads.push({ type: 'certificate', arn });
      const tags = await read(`ListTagsForCertificate ${arn}`, () => deps.acm!.listTags(arn));
      if (tags) d.tagTargets.push({ target: { type: 'certificate', arn }, tags, foundIn: where });
    }
  if (deps.s3)
    for (const { bucket, key, foundIn } of objects.values()) {
      d.reads.push({ type: 's3-object', bucket, key });
      const tags = await read(`GetObjectTagging s3://${bucket}/${key}`, () =>
        deps.s3!.getObjectTagging(bucket, key),
      );
      if (tags) d.tagTargets.push({ target: { type: 's3-object', bucket, key }, tags, foundIn });
    }
}
