/**
 * What a failed AWS or Kubernetes call means for the user: which exit code, and the command that
 * most likely fixes it. Works on the serialized form too (scan errors inside reports).
 */
import type { ClusterIdentity, SerializedGatewayError } from '@hyperpod/core';
import {
  missingPermissionLine,
  missingPermissionOfError,
  type PermissionSetId,
} from '@hyperpod/core-node';
import type { CommandLine } from './CommandLine';
import { ExitCode } from './exitCodes';

/** A cluster that is not there is a configuration mistake (3); everything else is access (4). */
export function gatewayErrorExitCode(e: SerializedGatewayError, step: string): ExitCode {
  if (e.kind === 'NotFound' && /describe ?cluster/i.test(step)) return ExitCode.Config;
  if (e.kind === 'InvalidParameter') return ExitCode.Config;
  return ExitCode.Access;
}

/**
 * What went wrong, in one line: for a refusal the missing permission and the shipped file that
 * grants it; otherwise the error's first line.
 */
export function gatewayErrorLine(e: SerializedGatewayError, forSet?: PermissionSetId): string {
  const m = missingPermissionOfError(e, forSet ? { forSet } : {});
  return m ? missingPermissionLine(m) : (e.message.split('\n')[0] ?? e.message);
}

export function gatewayErrorFix(
  e: SerializedGatewayError,
  step: string,
  cluster: ClusterIdentity | undefined,
  cl: CommandLine,
): string {
  const name = cluster?.name;
  const region = cluster?.region;
  const retry = name
    ? cl.with({ cluster: name, context: undefined, 'all-clusters': undefined })
    : cl.toString();
  const isKube = e.service === 'kubernetes';
  if (step === 'check account')
    return `aws sts get-caller-identity${profileHint(cl)}  # the account these credentials reach; fix the fleet file's accountId, or use --profile or a roleArn for the right account`;
  switch (e.kind) {
    case 'Unauthenticated':
      return isKube
        ? `aws eks update-kubeconfig --name ${name ?? '<cluster>'}${region ? ` --region ${region}` : ''}  # refresh the kubeconfig credentials, then: ${retry}`
        : `aws sso login${profileHint(cl)}  # or refresh the access keys, then: ${retry}`;
    case 'AccessDenied': {
      const grant = missingPermissionOfError(e)?.grantedBy;
      if (grant)
        return isKube
          ? `${cl.bin} rbac --set ${grant.bundle} --user <you> -o yaml | kubectl apply${cluster?.context ? ` --context ${cluster.context}` : ''} -f -  # then: ${retry}`
          : `aws iam create-policy --policy-name hyperpod-${grant.bundle} --policy-document file://${grant.file}${profileHint(cl)}  # attach it to the caller (aws sts get-caller-identity), then: ${retry}`;
      return isKube
        ? `kubectl auth can-i list secrets -A${cluster?.context ? ` --context ${cluster.context}` : ''}  # the scan reads add-on workloads and Helm release secrets`
        : `aws sts get-caller-identity${profileHint(cl)}  # that principal needs eks:DescribeCluster, eks:ListAddons, eks:DescribeAddon, eks:DescribeAddonVersions`;
    }
    case 'NotFound':
      return region
        ? `aws eks list-clusters --region ${region}${profileHint(cl)}  # then: ${cl.with({ cluster: '<name>', context: undefined })}`
        : `aws eks list-clusters${profileHint(cl)}`;
    case 'Throttled':
      return cl.with({ concurrency: '2' });
    case 'Timeout':
    case 'Unavailable':
      return isKube
        ? `kubectl${cluster?.context ? ` --context ${cluster.context}` : ''} get --raw /version  # check the API server answers, or: ${cl.with({ timeout: '2m' })}`
        : cl.with({ timeout: '2m' });
    default:
      return retry;
  }
}

function profileHint(cl: CommandLine): string {
  const i = cl.argv.indexOf('--profile');
  const p =
    i >= 0
      ? cl.argv[i + 1]
      : cl.argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
  return p ? ` --profile ${p}` : '';
}
