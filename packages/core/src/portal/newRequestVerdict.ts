/**
 * Whether an upgrade request may be created, decided once: at most one open request per cluster
 * add-on, a plan without refusals, and somewhere to go. The backend asks before it stores a
 * request and maps each refusal to its answer (`open-request` and `already-there` conflict with
 * the cluster's state; `refused` is a bad target).
 */
import type { UpgradePlan } from '../upgrade/planUpgrade';
import type { UpgradeRequestState } from './requestLifecycle';

export type NewRequestRefusal = 'open-request' | 'refused' | 'already-there';

export type NewRequestVerdict =
  | { ok: true; from: string; to: string }
  | { ok: false; refusal: NewRequestRefusal; message: string };

export type NewRequestRefused = Extract<NewRequestVerdict, { ok: false }>;

interface NewRequestInput {
  clusterName: string;
  addonName: string;
  target: string;
  /** The cluster add-on's open requests (OPEN_REQUEST_STATES), if any. */
  open: readonly { id: string; state: UpgradeRequestState }[];
}

/** The refusal when the cluster add-on already has an open request (checked before planning). */
export function openRequestConflict(input: NewRequestInput): NewRequestRefused | undefined {
  const first = input.open[0];
  if (!first) return undefined;
  return {
    ok: false,
    refusal: 'open-request',
    message: `${input.addonName} on ${input.clusterName} already has an open request ${first.id} (${first.state}); cancel it or wait for it`,
  };
}

export function newRequestVerdict(
  input: NewRequestInput & { plan: Pick<UpgradePlan, 'from' | 'to' | 'hops' | 'refusals'> },
): NewRequestVerdict {
  const { clusterName, addonName, target, plan } = input;
  const conflict = openRequestConflict(input);
  if (conflict) return conflict;
  if (plan.refusals.length > 0 || plan.to === undefined) {
    return {
      ok: false,
      refusal: 'refused',
      message: `cannot upgrade ${addonName} on ${clusterName} to ${target}: ${plan.refusals.join('; ')}`,
    };
  }
  if (plan.hops.length === 0) {
    return {
      ok: false,
      refusal: 'already-there',
      message: `${addonName} on ${clusterName} is already at ${plan.to}`,
    };
  }
  return { ok: true, from: plan.from, to: plan.to };
}
