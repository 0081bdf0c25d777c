import { redactMigrationJournal, redactMigrationPlan } from './redactMigrationPlan';
import type { MigrationPlan } from './MigrationPlan';

describe('redactMigrationPlan', () => {
  it('hides secrets in the target configuration and in createAddon values, keeps the rest', () => {
    const configuration = {
      executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
      db: { url: 'postgres://app:s3cr3t-Passw0rd@db.internal:5432/app' },
    };
    const plan = {
      target: { addonName: 'a', addonVersion: 'v1.0.0-eksbuild.1', configuration },
      steps: [
        {
          id: 'install',
          actions: [
            { kind: 'eks.createAddon', configurationValues: JSON.stringify(configuration) },
            { kind: 'kube.delete', name: 'x' },
          ],
        },
      ],
    } as unknown as MigrationPlan;
    const shown = redactMigrationPlan(plan);
    const text = JSON.stringify(shown);
    expect(text).not.toContain('s3cr3t-Passw0rd');
    expect(text).toContain('db.internal:5432/app');
    expect(text).toContain('arn:aws:iam::111122223333:role/exec');
    expect(shown.steps[0]!.actions[1]).toBe(plan.steps[0]!.actions[1]);
    // The plan itself is untouched (the executor runs it).
    expect(plan.target.configuration).toEqual(configuration);
  });
});

describe('redactMigrationJournal', () => {
  it('hides secrets quoted in journal messages, keeps entries without one as they are', () => {
    const quiet = { at: '2026-12-01T00:00:00.000Z', type: 'run-started' as const };
    const loud = {
      at: '2026-12-01T00:00:01.000Z',
      type: 'run-failed' as const,
      message: 'CreateAddon: invalid value postgres://app:s3cr3t-Passw0rd@db.internal:5432/app',
    };
    const [a, b] = redactMigrationJournal([quiet, loud]);
    expect(a).toBe(quiet);
    expect(b!.message).not.toContain('s3cr3t-Passw0rd');
    expect(b!.message).toContain('db.internal:5432/app');
  });
});
