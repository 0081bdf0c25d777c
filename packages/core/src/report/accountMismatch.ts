/**
 * The account a cluster was expected in (a fleet file's `accountId`, or the account in the ARN of
 * a kubeconfig context) against the account it was actually read from (the ARN DescribeCluster
 * answered with). Credentials that reach another account with a cluster of the same name would
 * otherwise report on the wrong cluster without a word.
 */
import type { ClusterReport, ScanError } from './ClusterReport';

const ARN_ACCOUNT = /^arn:aws[a-z-]*:eks:[^:]*:(\d{12}):cluster\//;

/** A scan error (step `check account`) when the account read differs from the one expected. */
export function accountMismatch(
  expectedAccountId: string | undefined,
  report: ClusterReport,
): ScanError | undefined {
  const actual = report.cluster.arn ? ARN_ACCOUNT.exec(report.cluster.arn)?.[1] : undefined;
  if (!expectedAccountId || !actual || actual === expectedAccountId) return undefined;
  return {
    kind: 'InvalidParameter',
    service: 'eks',
    operation: 'DescribeCluster',
    step: 'check account',
    message: `cluster ${report.cluster.name} was expected in account ${expectedAccountId} but was read from account ${actual} (${report.cluster.arn}): the credentials reach another account`,
  };
}
