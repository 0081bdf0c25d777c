/**
 * The upgrade request state machine, pure: which action may move a request from which state, and
 * who may take it. The backend stores the result and the transition (who, when, note) as history.
 *
 *   requested ─approve→ approved ─claim→ running ─→ succeeded | rolled-back | failed
 *       │                  │                └─(executor lost)→ needs-attention
 *       ├─reject→ rejected  └─cancel→ cancelled             (cancel also closes one)
 *       └─cancel→ cancelled
 */
export const UPGRADE_REQUEST_STATES = [
  'requested',
  'approved',
  'rejected',
  'cancelled',
  'running',
  'succeeded',
  'rolled-back',
  'failed',
  'needs-attention',
] as const;

export type UpgradeRequestState = (typeof UPGRADE_REQUEST_STATES)[number];

/** States no action leaves. */
export const FINAL_REQUEST_STATES: ReadonlySet<UpgradeRequestState> = new Set([
  'rejected',
  'cancelled',
  'succeeded',
  'rolled-back',
  'failed',
]);

/**
 * States of a request still open: a cluster's add-on has at most one open request at a time (the
 * backend's database enforces it with a partial unique index over exactly these states).
 */
export const OPEN_REQUEST_STATES: readonly UpgradeRequestState[] = [
  'requested',
  'approved',
  'running',
  'needs-attention',
];

/**
 * States a cancel can still close (approve and reject only leave `requested`). Each is open; a
 * running request is not among them: its executor finishes or recovers it.
 */
export const CANCELLABLE_REQUEST_STATES: readonly UpgradeRequestState[] = [
  'requested',
  'approved',
  'needs-attention',
];

export type RequestDecision = 'approve' | 'reject' | 'cancel';

export interface ApprovalPolicy {
  /** May the requester approve their own request? Default false. */
  allowSelfApproval: boolean;
}

/** The policy when configuration says nothing (`hyperpod.approval`). */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = { allowSelfApproval: false };

export interface DecisionInput {
  state: UpgradeRequestState;
  requestedBy: string;
  actor: string;
  /** The permission framework's answer for approving on this cluster. */
  actorMayApprove: boolean;
  decision: RequestDecision;
}

/**
 * Why a decision is refused, as the domain sees it: `not-allowed` (this actor may not take it) or
 * `wrong-state` (no one may, from the request's state). Faces map it: the backend to 403 / 409.
 */
export type DecisionRefusal = 'not-allowed' | 'wrong-state';

export type DecisionResult =
  { ok: true; to: UpgradeRequestState } | { ok: false; refusal: DecisionRefusal; message: string };

const TO: Record<RequestDecision, UpgradeRequestState> = {
  approve: 'approved',
  reject: 'rejected',
  cancel: 'cancelled',
};

/** What approve / reject / cancel does to a request, or why it may not. */
export function decideRequest(input: DecisionInput, policy: ApprovalPolicy): DecisionResult {
  const { state, decision, actor, requestedBy } = input;
  const from: readonly UpgradeRequestState[] =
    decision === 'cancel' ? CANCELLABLE_REQUEST_STATES : ['requested'];
  if (!from.includes(state)) {
    return {
      ok: false,
      refusal: 'wrong-state',
      message: `cannot ${decision} a request that is ${state} (only one that is ${from.join(' or ')})`,
    };
  }
  if (decision === 'cancel') {
    if (actor === requestedBy || input.actorMayApprove) return { ok: true, to: TO.cancel };
    return {
      ok: false,
      refusal: 'not-allowed',
      message: 'only the requester or an approver of this cluster may cancel the request',
    };
  }
  if (!input.actorMayApprove) {
    return {
      ok: false,
      refusal: 'not-allowed',
      message: `you may not ${decision} upgrade requests on this cluster (permission hyperpod.upgrade.approve)`,
    };
  }
  if (decision === 'approve' && actor === requestedBy && !policy.allowSelfApproval) {
    return {
      ok: false,
      refusal: 'not-allowed',
      message:
        'you cannot approve your own request; another approver must (hyperpod.approval.allowSelfApproval is false)',
    };
  }
  return { ok: true, to: TO[decision] };
}

/**
 * The decisions `actor` may take on a request, in the order a face offers them: the same
 * decideRequest the backend applies, so a face shows a button only where the backend would agree.
 */
export function allowedDecisions(
  request: { state: UpgradeRequestState; requestedBy: string },
  actor: { ref: string; mayApprove: boolean },
  policy: ApprovalPolicy,
): RequestDecision[] {
  return (['approve', 'reject', 'cancel'] as const).filter(
    (decision) =>
      decideRequest(
        {
          state: request.state,
          requestedBy: request.requestedBy,
          actor: actor.ref,
          actorMayApprove: actor.mayApprove,
          decision,
        },
        policy,
      ).ok,
  );
}

/** The state a finished upgrade leaves its request in. */
export function requestStateForOutcome(
  status: 'succeeded' | 'rolled-back' | 'failed' | 'refused',
): UpgradeRequestState {
  return status === 'refused' ? 'failed' : status;
}
