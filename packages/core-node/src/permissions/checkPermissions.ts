/**
 * The preflight: asks, before the first change, whether the caller may make every call a plan
 * needs. AWS: iam:SimulatePrincipalPolicy for the caller (sts:GetCallerIdentity names it; an
 * assumed-role session is simulated as its role), with the resource ARN and condition keys each
 * call will carry. Where IAM refuses the simulation, the calls themselves tell (the run stops at
 * the first refused one, before or after its backup, and rolls back). Kubernetes: a
 * SelfSubjectAccessReview per verb, resource and namespace. What is missing comes back named with
 * the shipped file that grants it.
 */
import { GatewayError, type IamGateway, type KubeGateway, type StsGateway } from '@hyperpod/core';
import type { RequiredAwsPermission, RequiredPermission } from './migrationPermissions';
import { grantFor, permissionText, type MissingPermission } from './missingPermission';
import type { PermissionSetId } from './permissionSets';

export interface PermissionCheckDeps {
  iam: IamGateway;
  sts?: StsGateway;
  kube: KubeGateway;
}

export interface PermissionCheck {
  missing: MissingPermission[];
  /** `simulated`: IAM answered for every AWS call; `unchecked`: why it could not (a warning). */
  aws: { checked: true; principalArn: string } | { checked: false; why: string };
  /** Access reviews asked. */
  kubeReviews: number;
}

/** `arn:aws:sts::1:assumed-role/R/session` → `arn:aws:iam::1:role/R`; users and roles as they are. */
export function simulationPrincipal(callerArn: string): string {
  const m = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : callerArn;
}

export interface PermissionCheckOptions {
  forSet?: PermissionSetId;
  /**
   * Calls that just succeeded (discovery's DescribeCluster): a simulation that denies one of
   * them does not describe what this principal may do (resource-based policies, an endpoint
   * whose simulator does not model the caller), so the calls themselves are left to tell.
   */
  observedAllowed?: readonly RequiredAwsPermission[];
}

export async function checkPermissions(
  required: readonly RequiredPermission[],
  deps: PermissionCheckDeps,
  opts: PermissionCheckOptions = {},
): Promise<PermissionCheck> {
  const missing: MissingPermission[] = [];
  const aws = await checkAws(
    required.filter((r): r is RequiredAwsPermission => r.kind === 'aws'),
    deps,
    opts.observedAllowed ?? [],
  );
  for (const p of aws.denied)
    missing.push(
      grantFor({ kind: 'aws', action: p.action, resource: p.resource }, { forSet: opts.forSet }),
    );
  let kubeReviews = 0;
  for (const r of required) {
    if (r.kind !== 'kube') continue;
    const { kind: _kind, ...query } = r;
    kubeReviews++;
    const answer = await deps.kube.canI(query);
    if (!answer.allowed) missing.push(grantFor(r, { forSet: opts.forSet }));
  }
  // A call needed with two sets of condition keys is one line to the user.
  const seen = new Set<string>();
  const unique = missing.filter((m) => {
    const k = permissionText(m.permission);
    return seen.has(k) ? false : (seen.add(k), true);
  });
  return { missing: unique, aws: aws.status, kubeReviews };
}

async function checkAws(
  required: RequiredAwsPermission[],
  deps: PermissionCheckDeps,
  observedAllowed: readonly RequiredAwsPermission[],
): Promise<{ denied: RequiredAwsPermission[]; status: PermissionCheck['aws'] }> {
  const simulate = deps.iam.simulatePrincipalPolicy?.bind(deps.iam);
  if (!simulate || !deps.sts)
    return { denied: [], status: { checked: false, why: 'no IAM simulation here' } };
  try {
    const principalArn = simulationPrincipal((await deps.sts.getCallerIdentity()).arn);
    // One simulation per (resource, condition keys): IAM applies the context to every action.
    const groups = new Map<string, RequiredAwsPermission[]>();
    for (const r of [...observedAllowed, ...required]) {
      const key = JSON.stringify([r.resource, r.context ?? {}]);
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    const denied: RequiredAwsPermission[] = [];
    for (const group of groups.values()) {
      const first = group[0]!;
      const results = await simulate({
        principalArn,
        actions: [...new Set(group.map((g) => g.action))],
        resource: first.resource,
        ...(first.context ? { context: first.context } : {}),
      });
      for (const r of group)
        if (results.find((x) => x.action === r.action)?.decision !== 'allowed') denied.push(r);
    }
    const contradicted = observedAllowed.find((o) => denied.includes(o));
    if (contradicted)
      return {
        denied: [],
        status: {
          checked: false,
          why: `the simulation of ${principalArn} denies ${contradicted.action} on ${contradicted.resource}, which just succeeded, so its answers do not describe this caller; AWS permissions are checked by the calls themselves`,
        },
      };
    return { denied: denied.filter((d) => required.includes(d)), status: { checked: true, principalArn } };
  } catch (e) {
    // Refused, or an endpoint without the simulator: the calls themselves tell, as the plan's
    // warning says.
    const why =
      e instanceof GatewayError && e.kind === 'AccessDenied'
        ? 'iam:SimulatePrincipalPolicy was refused (statement IamSimulateOwnPolicies of permissions/iam/hyperpod-operate.json grants it)'
        : `iam:SimulatePrincipalPolicy failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
    return {
      denied: [],
      status: { checked: false, why: `${why}; AWS permissions are checked by the calls themselves` },
    };
  }
}
