import { ADDON_ISSUE_CODES, explainAddonIssue, parseConfigurationConflict } from './addonIssues';

describe('add-on issues', () => {
  it('explains every AddonIssueCode of the EKS API with a fix', () => {
    for (const code of ADDON_ISSUE_CODES) {
      const e = explainAddonIssue({ code });
      expect(e.explanation).not.toMatch(/does not know/);
      expect(e.fix.length).toBeGreaterThan(20);
    }
  });

  it('keeps an unknown code visible instead of dropping it', () => {
    expect(explainAddonIssue({ code: 'NewCode', message: 'x' })).toMatchObject({
      code: 'NewCode',
      title: 'NewCode',
      message: 'x',
    });
  });

  it('parses a multi-line ConfigurationConflict message into resource, name and field', () => {
    const msg =
      'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts:\n' +
      'ConfigMap coredns - .data.Corefile\n' +
      'Deployment.apps coredns - .spec.template.spec.containers[name="coredns"].image';
    expect(parseConfigurationConflict(msg)).toEqual([
      { resource: 'ConfigMap', name: 'coredns', field: '.data.Corefile' },
      {
        resource: 'Deployment.apps',
        name: 'coredns',
        field: '.spec.template.spec.containers[name="coredns"].image',
      },
    ]);
  });

  it('parses the single-line form EKS also prints', () => {
    const msg =
      'Conflicts found when trying to apply. Will not continue due to resolve conflicts mode. Conflicts: ConfigMap coredns - .data.Corefile  Deployment.apps hyperpod-inference-controller-manager - .spec.replicas';
    expect(explainAddonIssue({ code: 'ConfigurationConflict', message: msg }).conflicts).toEqual([
      { resource: 'ConfigMap', name: 'coredns', field: '.data.Corefile' },
      {
        resource: 'Deployment.apps',
        name: 'hyperpod-inference-controller-manager',
        field: '.spec.replicas',
      },
    ]);
  });

  it('advises a command the tool can run, naming the add-on, for every issue fixed by re-applying with OVERWRITE', () => {
    for (const code of [
      'ConfigurationConflict',
      'UnsupportedAddonModification',
      'K8sResourceNotFound',
    ]) {
      const e = explainAddonIssue({ code, message: 'x' }, 'coredns');
      expect(e.fix).toContain('kubectl hyperpod resolve-conflicts coredns');
      // Not the old advice to pass a flag that an update at the same version never sends.
      expect(e.fix).not.toMatch(/--resolve-conflicts OVERWRITE/);
    }
  });
});
