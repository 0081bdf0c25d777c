import { kubeRequestAttributes, kubeRulesAllow } from './kubeRequest';

describe('kubeRequestAttributes', () => {
  it.each([
    ['GET', '/api/v1/namespaces/kube-system/secrets/sh.helm.release.v1.x.v2', 'get', '', 'secrets'],
    ['GET', '/api/v1/secrets?labelSelector=owner%3Dhelm&limit=500', 'list', '', 'secrets'],
    ['GET', '/apis/apps/v1/deployments?watch=true', 'watch', 'apps', 'deployments'],
    [
      'POST',
      '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases?fieldManager=x',
      'create',
      'coordination.k8s.io',
      'leases',
    ],
    [
      'PUT',
      '/apis/storage.k8s.io/v1/csidrivers/s3.csi.aws.com',
      'update',
      'storage.k8s.io',
      'csidrivers',
    ],
    [
      'PATCH',
      '/apis/apps/v1/namespaces/a/deployments/op?dryRun=All',
      'patch',
      'apps',
      'deployments',
    ],
    [
      'DELETE',
      '/apis/rbac.authorization.k8s.io/v1/clusterroles/r',
      'delete',
      'rbac.authorization.k8s.io',
      'clusterroles',
    ],
    ['DELETE', '/api/v1/namespaces/a/pods', 'deletecollection', '', 'pods'],
    ['GET', '/api/v1/namespaces/kube-system', 'get', '', 'namespaces'],
    ['GET', '/api/v1/namespaces', 'list', '', 'namespaces'],
  ])('%s %s is %s %s/%s', (method, p, verb, group, resource) => {
    expect(kubeRequestAttributes(method, p)).toMatchObject({
      kind: 'resource',
      verb,
      group,
      resource,
    });
  });

  it('keeps the subresource apart', () => {
    expect(
      kubeRequestAttributes('PATCH', '/apis/apps/v1/namespaces/a/deployments/op/scale'),
    ).toMatchObject({ resource: 'deployments', name: 'op', subresource: 'scale' });
  });

  it('treats discovery and /version as non-resource paths', () => {
    for (const p of ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/version'])
      expect(kubeRequestAttributes('GET', p)).toMatchObject({ kind: 'nonResource' });
  });
});

describe('kubeRulesAllow', () => {
  const rules = [
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['a'] },
  ];
  const allow = (m: string, p: string) => kubeRulesAllow(rules, kubeRequestAttributes(m, p));

  it('matches verb, group and resource', () => {
    expect(allow('GET', '/apis/apps/v1/deployments')).toBe(true);
    expect(allow('DELETE', '/apis/apps/v1/namespaces/x/deployments/d')).toBe(false);
    expect(allow('GET', '/apis/extensions/v1beta1/deployments')).toBe(false);
    expect(allow('GET', '/apis/apps/v1/daemonsets')).toBe(false);
  });

  it('needs the subresource named to allow it', () => {
    expect(allow('GET', '/apis/apps/v1/namespaces/x/deployments/d/scale')).toBe(false);
  });

  it('honours resourceNames', () => {
    expect(allow('GET', '/api/v1/namespaces/x/configmaps/a')).toBe(true);
    expect(allow('GET', '/api/v1/namespaces/x/configmaps/b')).toBe(false);
    expect(allow('GET', '/api/v1/namespaces/x/configmaps')).toBe(false);
  });
});
