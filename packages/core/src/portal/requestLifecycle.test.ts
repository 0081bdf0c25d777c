import {
  allowedDecisions,
  CANCELLABLE_REQUEST_STATES,
  decideRequest,
  OPEN_REQUEST_STATES,
  UPGRADE_REQUEST_STATES,
  type UpgradeRequestState,
} from './requestLifecycle';

const JANE = 'user:default/jane.doe';
const SAM = 'user:default/sam.ops';
const STRICT = { allowSelfApproval: false };
const LENIENT = { allowSelfApproval: true };

describe('decideRequest', () => {
  it('lets an approver approve or reject only a request waiting for a decision', () => {
    for (const state of UPGRADE_REQUEST_STATES) {
      const r = decideRequest(
        { state, requestedBy: JANE, actor: SAM, actorMayApprove: true, decision: 'approve' },
        STRICT,
      );
      expect(r.ok).toBe(state === 'requested');
      if (!r.ok) expect(r).toMatchObject({ refusal: 'wrong-state' });
    }
  });

  it('refuses the requester their own approval unless the policy allows it', () => {
    const input = {
      state: 'requested' as const,
      requestedBy: JANE,
      actor: JANE,
      actorMayApprove: true,
      decision: 'approve' as const,
    };
    expect(decideRequest(input, STRICT)).toMatchObject({ ok: false, refusal: 'not-allowed' });
    expect(decideRequest(input, LENIENT)).toEqual({ ok: true, to: 'approved' });
  });

  it('lets the requester or an approver cancel an open request that is not running', () => {
    const cancel = (state: UpgradeRequestState, actor: string, actorMayApprove: boolean) =>
      decideRequest(
        { state, requestedBy: JANE, actor, actorMayApprove, decision: 'cancel' },
        STRICT,
      );
    expect(cancel('approved', JANE, false)).toEqual({ ok: true, to: 'cancelled' });
    expect(cancel('needs-attention', SAM, true)).toEqual({ ok: true, to: 'cancelled' });
    expect(cancel('requested', 'user:default/someone.else', false)).toMatchObject({
      ok: false,
      refusal: 'not-allowed',
    });
    expect(cancel('running', JANE, true)).toMatchObject({ ok: false, refusal: 'wrong-state' });
    // Every cancellable state is open.
    for (const s of CANCELLABLE_REQUEST_STATES) expect(OPEN_REQUEST_STATES).toContain(s);
  });
});

describe('allowedDecisions', () => {
  it('offers what decideRequest would accept, self-approval policy included', () => {
    const waiting = { state: 'requested' as const, requestedBy: JANE };
    expect(allowedDecisions(waiting, { ref: JANE, mayApprove: true }, STRICT)).toEqual([
      'reject',
      'cancel',
    ]);
    expect(allowedDecisions(waiting, { ref: JANE, mayApprove: true }, LENIENT)).toEqual([
      'approve',
      'reject',
      'cancel',
    ]);
    expect(allowedDecisions(waiting, { ref: SAM, mayApprove: false }, LENIENT)).toEqual([]);
    expect(
      allowedDecisions(
        { state: 'succeeded', requestedBy: JANE },
        { ref: JANE, mayApprove: true },
        LENIENT,
      ),
    ).toEqual([]);
  });
});
