import { addonHealth } from './addonHealth';

describe('add-on health', () => {
  it('maps every EKS status onto the ladder', () => {
    expect(addonHealth({ status: 'ACTIVE' }).state).toBe('Healthy');
    for (const s of ['CREATING', 'UPDATING', 'DELETING'])
      expect(addonHealth({ status: s }).state).toBe('Progressing');
    for (const s of ['DEGRADED', 'CREATE_FAILED', 'UPDATE_FAILED', 'DELETE_FAILED'])
      expect(addonHealth({ status: s }).state).toBe('Degraded');
    expect(addonHealth({ status: 'SOMETHING_NEW' })).toMatchObject({
      state: 'Unknown',
      reason: 'unknown add-on status SOMETHING_NEW',
    });
    expect(addonHealth({}).state).toBe('Unknown');
  });

  it('treats an ACTIVE add-on with issues as Degraded and explains each issue', () => {
    const h = addonHealth({
      status: 'ACTIVE',
      issues: [
        {
          code: 'InsufficientNumberOfReplicas',
          message:
            "The add-on is unhealthy because it doesn't have the desired number of replicas.",
          resourceIds: ['hyperpod-inference-system/hyperpod-inference-controller-manager'],
        },
      ],
    });
    expect(h.state).toBe('Degraded');
    expect(h.reason).toBe('ACTIVE: InsufficientNumberOfReplicas');
    expect(h.issues[0]).toMatchObject({
      title: 'Not enough ready replicas',
      resourceIds: ['hyperpod-inference-system/hyperpod-inference-controller-manager'],
    });
  });
});
