import type { EksAddon } from '../ports/EksGateway';
import { lostUpgradeVerdict, MAX_UPGRADE_ATTEMPTS, settledAddon } from './lostUpgradeVerdict';

const request = {
  addonName: 'vpc-cni',
  fromVersion: 'v1.18.1-eksbuild.1',
  targetVersion: 'v1.19.5-eksbuild.3',
  attempts: 1,
};
const lost = 'the replica running it (a) stopped reporting';
const active = (addonVersion: string) => ({ status: 'ACTIVE', addonVersion });

describe('lostUpgradeVerdict (ADR 0005)', () => {
  it('finishes a request whose add-on is ACTIVE at the target', () => {
    expect(lostUpgradeVerdict({ request, addon: active(request.targetVersion), lost })).toEqual({
      to: 'succeeded',
      note: `${lost}; vpc-cni is ACTIVE at v1.19.5-eksbuild.3: the upgrade finished`,
    });
  });

  it('runs it again from where it stands while runs are left', () => {
    const v = lostUpgradeVerdict({ request, addon: active('v1.18.5-eksbuild.1'), lost });
    expect(v.to).toBe('approved');
    expect(v.note).toContain('between v1.18.1-eksbuild.1 and v1.19.5-eksbuild.3');
    expect(
      lostUpgradeVerdict({ request, addon: active(request.fromVersion), lost }).note,
    ).toContain('as before the upgrade');
  });

  it('sends it to a human when the add-on is not ACTIVE, missing, or out of runs', () => {
    expect(
      lostUpgradeVerdict({ request, addon: { status: 'DEGRADED', addonVersion: 'x' }, lost }).to,
    ).toBe('needs-attention');
    expect(lostUpgradeVerdict({ request, addon: undefined, lost }).note).toContain('not installed');
    expect(
      lostUpgradeVerdict({
        request: { ...request, attempts: MAX_UPGRADE_ATTEMPTS },
        addon: active(request.fromVersion),
        lost,
      }).to,
    ).toBe('needs-attention');
  });
});

describe('settledAddon', () => {
  it('polls while EKS is still changing the add-on', async () => {
    const answers = ['UPDATING', 'UPDATING', 'ACTIVE'].map(
      (status) => ({ status, addonVersion: 'v1' }) as EksAddon,
    );
    let t = 0;
    const describe = jest.fn(async () => answers.shift());
    const r = await settledAddon(describe, {
      timeoutMs: 60_000,
      pollMs: 5_000,
      now: () => t,
      sleep: async (ms) => {
        t += ms;
      },
    });
    expect(r).toEqual({ addon: { status: 'ACTIVE', addonVersion: 'v1' }, stopped: false });
    expect(describe).toHaveBeenCalledTimes(3);
  });
});
