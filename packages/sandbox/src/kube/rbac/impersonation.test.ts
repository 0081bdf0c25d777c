import { impersonatedUser, impersonationChecks, requestedImpersonation } from './impersonation';

describe('impersonation', () => {
  it('asks for impersonate on the service account, the user and each group', () => {
    const imp = requestedImpersonation({
      'impersonate-user': 'system:serviceaccount:team-a:deployer',
      'impersonate-group': ['g1', 'g2'],
    })!;
    expect(impersonationChecks(imp)).toEqual([
      {
        verb: 'impersonate',
        group: '',
        resource: 'serviceaccounts',
        namespace: 'team-a',
        name: 'deployer',
      },
      { verb: 'impersonate', group: '', resource: 'groups', name: 'g1' },
      { verb: 'impersonate', group: '', resource: 'groups', name: 'g2' },
    ]);
    expect(impersonationChecks({ user: 'jane', groups: [] })).toEqual([
      { verb: 'impersonate', group: '', resource: 'users', name: 'jane' },
    ]);
    expect(requestedImpersonation({ authorization: 'Bearer x' })).toBeUndefined();
  });

  it('gives an impersonated service account its groups unless groups are named, and everyone system:authenticated', () => {
    expect(impersonatedUser({ user: 'system:serviceaccount:team-a:deployer', groups: [] })).toEqual(
      {
        name: 'system:serviceaccount:team-a:deployer',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:team-a', 'system:authenticated'],
      },
    );
    expect(impersonatedUser({ user: 'jane', groups: ['ml'] })).toEqual({
      name: 'jane',
      groups: ['ml', 'system:authenticated'],
    });
    expect(impersonatedUser({ user: 'system:anonymous', groups: [] })!.groups).toEqual([]);
    expect(impersonatedUser({ groups: ['ml'] })).toBeUndefined();
  });
});
