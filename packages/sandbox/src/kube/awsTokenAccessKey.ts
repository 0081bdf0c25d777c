/** EKS tokens (`k8s-aws-v1.` + a presigned STS GetCallerIdentity URL, what `aws eks get-token` prints). */

/** The access key of an EKS token's presigned GetCallerIdentity URL, if the token is well formed and fresh. */
export function awsTokenAccessKey(token: string): string | undefined {
  try {
    const url = new URL(
      Buffer.from(token.slice('k8s-aws-v1.'.length), 'base64url').toString('utf8'),
    );
    const q = url.searchParams;
    if (q.get('Action') !== 'GetCallerIdentity') return undefined;
    const cred = q.get('X-Amz-Credential');
    const date = q.get('X-Amz-Date');
    if (!cred || !date) return undefined;
    const m = date.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
    if (!m) return undefined;
    const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    // EKS accepts a token for 15 minutes whatever X-Amz-Expires says.
    if (Date.now() - signedAt > 15 * 60 * 1000 || signedAt - Date.now() > 5 * 60 * 1000)
      return undefined;
    return cred.split('/')[0] || undefined;
  } catch {
    return undefined;
  }
}
