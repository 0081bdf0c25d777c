/**
 * The tags of whatever resource an ARN names, from the service that holds it: what
 * `aws:ResourceTag/<key>` (and S3's `s3:ExistingObjectTag/<key>`) are read from.
 */
export interface TagSource {
  tagsOf(arn: string): Record<string, string> | undefined;
}

/** Asks the service the ARN's service segment names (`iam`, `eks`, `s3`, …). */
export function resourceTagsFrom(
  byService: Record<string, TagSource>,
): (arn: string) => Record<string, string> | undefined {
  return (arn) => {
    const service = arn.split(':')[2];
    return service === undefined ? undefined : byService[service]?.tagsOf(arn);
  };
}
