import { clientRequestToken } from './clientRequestToken';

const RUN = 'csq-helm-use1-20261206-070038-dsg3eamliw4sveygy5ii36r85';

describe('clientRequestToken', () => {
  it('is the run and action id when they fit', () => {
    expect(clientRequestToken('run-1', 'create-addon')).toBe('run-1-create-addon');
  });

  it('keeps tokens of different actions of a long run apart, within 64 characters', () => {
    const a = clientRequestToken(RUN, 'dep-aws-load-balancer-controller');
    const b = clientRequestToken(RUN, 'dep-aws-mountpoint-s3-csi-driver');
    const c = clientRequestToken(RUN, 'create-addon');
    expect(new Set([a, b, c]).size).toBe(3);
    for (const t of [a, b, c]) expect(t.length).toBeLessThanOrEqual(64);
    // The same action of the same run: the same token (a retry, a resume).
    expect(clientRequestToken(RUN, 'create-addon')).toBe(c);
  });
});
