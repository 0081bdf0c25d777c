/** SimulatePrincipalPolicy: the sandbox's own policy evaluator answers for a user or role. */
import {
  memberList,
  memberStructs,
  required,
  validationError,
  type XmlValue,
} from '../protocols/queryProtocol';
import { AwsError } from '../types';
import type { IamCall } from './IamAction';
import { paged, truncation } from './iamParams';
import { noSuchEntity } from './IamState';
import { parsePolicy, type PolicyDocument } from './policyDocument';

/** Evaluates a principal's policies for SimulatePrincipalPolicy (the sandbox's IAM evaluator). */
export interface PolicySimulator {
  simulate(input: SimulationInput): SimulationResult[];
}

export interface SimulationInput {
  /** A user or role ARN. */
  policySourceArn: string;
  actionNames: string[];
  /** Defaults to `*`. */
  resourceArns: string[];
  /** Extra policies evaluated with the principal's (PolicyInputList). */
  policyInputList: PolicyDocument[];
  context: Record<string, string[]>;
}

export interface SimulationResult {
  action: string;
  resource: string;
  decision: 'allowed' | 'explicitDeny' | 'implicitDeny';
  /** Condition keys the matching statements name that the request did not give. */
  missingContextValues: string[];
  matchedStatements: { sourcePolicyId: string; sourcePolicyType: string }[];
}

export function simulatePrincipalPolicy({
  store,
  req,
  p,
  simulator,
}: IamCall): Record<string, XmlValue> {
  const source = required(p, 'PolicySourceArn');
  const actionNames = memberList(p, 'ActionNames');
  if (actionNames.length === 0)
    throw validationError(
      "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null",
    );
  if (store.principal(source)?.accountId !== req.accountId || source.startsWith('arn:aws:sts:'))
    throw noSuchEntity(`The entity ${source} does not exist.`);
  if (!simulator)
    throw new AwsError('ServiceFailure', 'The sandbox has no policy evaluator wired.', 500);
  const results = simulator.simulate({
    policySourceArn: source,
    actionNames,
    resourceArns: memberList(p, 'ResourceArns'),
    policyInputList: memberList(p, 'PolicyInputList').map((d) => parsePolicy(d, 'identity')),
    context: contextEntries(p),
  });
  const pg = paged(results, p);
  return {
    EvaluationResults: pg.items.map((r) => ({
      EvalActionName: r.action,
      EvalResourceName: r.resource,
      EvalDecision: r.decision,
      MatchedStatements: r.matchedStatements.map((m) => ({
        SourcePolicyId: m.sourcePolicyId,
        SourcePolicyType: m.sourcePolicyType,
      })),
      MissingContextValues: r.missingContextValues,
      EvalDecisionDetails: undefined,
    })),
    ...truncation(pg.next),
  };
}

/** ContextEntries.member.N.{ContextKeyName, ContextKeyValues.member.M}: key → values in order. */
function contextEntries(p: URLSearchParams): Record<string, string[]> {
  const context: Record<string, string[]> = {};
  for (const e of memberStructs(p, 'ContextEntries')) {
    const key = e['ContextKeyName'];
    if (!key) continue;
    context[key] = Object.entries(e)
      .filter(([k]) => /^ContextKeyValues\.member\.\d+$/.test(k))
      .sort(([a], [b]) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
      .map(([, v]) => v);
  }
  return context;
}
