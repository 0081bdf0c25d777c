import { newRequestVerdict } from './newRequestVerdict';

const base = { clusterName: 'prod', addonName: 'vpc-cni', target: 'latest' };
const plan = {
  from: 'v1.18.1-eksbuild.1',
  to: 'v1.19.5-eksbuild.3',
  hops: ['v1.19.5-eksbuild.3'],
  refusals: [],
};

describe('newRequestVerdict', () => {
  it('accepts a plan with somewhere to go when nothing is open', () => {
    expect(newRequestVerdict({ ...base, open: [], plan })).toEqual({
      ok: true,
      from: 'v1.18.1-eksbuild.1',
      to: 'v1.19.5-eksbuild.3',
    });
  });

  it('refuses a second open request, naming the first', () => {
    const v = newRequestVerdict({ ...base, open: [{ id: 'r-1', state: 'approved' }], plan });
    expect(v).toMatchObject({ ok: false, refusal: 'open-request' });
    expect(!v.ok && v.message).toContain('r-1 (approved)');
  });

  it('refuses a plan with refusals, or one already at its target', () => {
    expect(
      newRequestVerdict({
        ...base,
        open: [],
        plan: { ...plan, hops: [], refusals: ['the schema rejects x'] },
      }),
    ).toMatchObject({ ok: false, refusal: 'refused' });
    expect(
      newRequestVerdict({ ...base, open: [], plan: { ...plan, from: plan.to, hops: [] } }),
    ).toMatchObject({
      ok: false,
      refusal: 'already-there',
      message: 'vpc-cni on prod is already at v1.19.5-eksbuild.3',
    });
  });
});
