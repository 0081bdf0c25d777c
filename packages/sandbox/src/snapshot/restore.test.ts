import { Sandbox } from '../Sandbox';
import type { WatchEvent } from '../kube/KubeCluster';

describe('Sandbox.restore', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await Sandbox.start({ scenario: 'empty', addonTransitionMs: 1 });
    await sb.addCluster({ account: 'prod', region: 'us-east-1', name: 'rs', version: '1.31' });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('puts AWS state and every object back; resourceVersions move forward and watchers see it', () => {
    const kube = sb.kube('rs');
    const c = sb.cluster('rs');
    kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } });
    kube.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kept', namespace: 'apps' },
      data: { a: '1' },
    });
    kube.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'deleted', namespace: 'apps' },
      data: { b: '2' },
    });
    const before = sb.snapshot();
    const rvBefore = kube.resourceVersion;
    const untouched = kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'apps' })!;

    // Changes on both sides of the fleet.
    kube.patch({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'kept' }, 'merge', {
      data: { a: 'changed' },
    });
    kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'deleted' });
    kube.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'added', namespace: 'apps' },
    });
    sb.services.iam.seedRole({
      accountId: c.accountId,
      name: 'new-role',
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'eks.amazonaws.com' },
            Action: 'sts:AssumeRole',
          },
        ],
      },
    });
    sb.services.s3.seedBucket({ accountId: c.accountId, region: c.region, name: 'new-bucket' });
    expect(sb.diff(before).length).toBeGreaterThan(0);

    const events: WatchEvent[] = [];
    const stop = kube.watch((e) => events.push(e));
    sb.restore(before);
    stop();

    expect(sb.diff(before)).toEqual([]);
    expect(
      kube.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name: 'kept' })!['data'],
    ).toEqual({ a: '1' });
    // Forward, never back: the restored objects carry new resourceVersions.
    const deleted = kube.get({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      namespace: 'apps',
      name: 'deleted',
    })!;
    expect(Number(deleted.metadata.resourceVersion)).toBeGreaterThan(rvBefore);
    expect(kube.resourceVersion).toBeGreaterThan(rvBefore);
    // What did not change keeps its resourceVersion (no event).
    expect(
      kube.get({ apiVersion: 'v1', kind: 'Namespace', name: 'apps' })!.metadata.resourceVersion,
    ).toBe(untouched.metadata.resourceVersion);
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual(
      expect.arrayContaining([
        ['MODIFIED', 'kept'],
        ['ADDED', 'deleted'],
        ['DELETED', 'added'],
      ]),
    );
    expect(events).toHaveLength(3);
    const rvs = events.map((e) => e.resourceVersion);
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
  });

  it('refuses a snapshot another sandbox took', async () => {
    const other = await Sandbox.start({ scenario: 'empty' });
    try {
      expect(() => sb.restore(other.snapshot())).toThrow(/not a snapshot this sandbox took/);
    } finally {
      await other.stop();
    }
  });
});
