import {
  groupEntityV1alpha1Validator,
  makeValidator,
  resourceEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';
import {
  HYPERPOD_CLUSTER_ARN_ANNOTATION,
  HYPERPOD_CLUSTER_ENTITY_TYPE,
  HYPERPOD_CLUSTER_REGION_ANNOTATION,
} from '@hyperpod/core';
import { portalCluster } from '../service/FleetService';
import { clusterEntityNames, dnsSafeName } from '@hyperpod/core';
import { fleetEntities } from './fleetEntities';

const options = {
  defaultOwner: 'group:default/platform-team',
  groups: true,
  users: [
    { name: 'guest', memberOf: ['group:default/ml-platform'] },
    { name: 'user:default/approver', displayName: 'Approver', memberOf: ['platform-approvers'] },
  ],
  location: 'hyperpod-fleet:hyperpod-clusters',
};

const prod = portalCluster({
  name: 'ml-prod-use1',
  region: 'us-east-1',
  accountId: '111111111111',
  labels: { owner: 'group:default/ml-platform' },
});
const dev = portalCluster({ name: 'ml-dev-use1', region: 'us-east-1' });

async function valid(e: Entity): Promise<boolean> {
  const v = { Resource: resourceEntityV1alpha1Validator, Group: groupEntityV1alpha1Validator };
  const validator =
    (v as Record<string, typeof userEntityV1alpha1Validator>)[e.kind] ??
    userEntityV1alpha1Validator;
  return (
    (await validator.check(e)) &&
    makeValidator().isValidEntityName(e.metadata.name) &&
    Object.entries(e.metadata.annotations ?? {}).every(
      ([k, val]) =>
        makeValidator().isValidAnnotationKey(k) && makeValidator().isValidAnnotationValue(val),
    )
  );
}

describe('fleetEntities', () => {
  it('makes each cluster a kubernetes-cluster Resource with the portal id, region and owner', () => {
    const [r] = fleetEntities([prod], options);
    expect(r).toMatchObject({
      kind: 'Resource',
      metadata: {
        name: 'ml-prod-use1',
        title: 'ml-prod-use1',
        annotations: {
          [HYPERPOD_CLUSTER_ARN_ANNOTATION]:
            'arn:aws:eks:us-east-1:111111111111:cluster/ml-prod-use1',
          [HYPERPOD_CLUSTER_REGION_ANNOTATION]: 'us-east-1',
          'backstage.io/managed-by-location': options.location,
          'backstage.io/managed-by-origin-location': options.location,
        },
      },
      spec: { type: HYPERPOD_CLUSTER_ENTITY_TYPE, owner: 'group:default/ml-platform' },
    });
  });

  it('gives clusters without an owner the default one, and without an account the region/name id', () => {
    const [r] = fleetEntities([dev], options);
    expect(r!.spec).toMatchObject({ owner: 'group:default/platform-team' });
    expect(r!.metadata.annotations![HYPERPOD_CLUSTER_ARN_ANNOTATION]).toBe('us-east-1/ml-dev-use1');
  });

  it('emits one Group per owner or membership and the configured Users with their memberOf', () => {
    const all = fleetEntities([prod, dev], options);
    const refs = all
      .filter((e) => e.kind !== 'Resource')
      .map((e) => `${e.kind}:${e.metadata.namespace}/${e.metadata.name}`);
    expect(refs).toEqual([
      'Group:default/ml-platform',
      'Group:default/platform-approvers',
      'Group:default/platform-team',
      'User:default/guest',
      'User:default/approver',
    ]);
    const approver = all.find((e) => e.kind === 'User' && e.metadata.name === 'approver')!;
    expect(approver.spec).toEqual({
      profile: { displayName: 'Approver' },
      memberOf: ['group:default/platform-approvers'],
    });
  });

  it('leaves groups to an org provider when groups is false', () => {
    const kinds = fleetEntities([prod], { ...options, groups: false }).map((e) => e.kind);
    expect(kinds).toEqual(['Resource', 'User', 'User']);
  });

  it('produces entities the catalog accepts', async () => {
    const odd = portalCluster({ name: 'GPU_Training__Cluster', region: 'eu-west-1' });
    for (const e of fleetEntities([prod, dev, odd], options)) expect(await valid(e)).toBe(true);
  });
});

describe('entity names', () => {
  it('are DNS labels: lower case, dashes, at most 63 characters', () => {
    expect(dnsSafeName('GPU_Training__Cluster')).toBe('gpu-training-cluster');
    const long = dnsSafeName(`a${'b'.repeat(99)}`);
    expect(long).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(dnsSafeName(`a${'b'.repeat(99)}`)).not.toBe(dnsSafeName(`a${'b'.repeat(98)}c`));
  });

  it('stay the cluster name unless clusters share it, then add the region, then the account', () => {
    const same = [
      portalCluster({ name: 'train', region: 'us-east-1', accountId: '111111111111' }),
      portalCluster({ name: 'train', region: 'us-west-2', accountId: '111111111111' }),
      portalCluster({ name: 'train', region: 'us-west-2', accountId: '222222222222' }),
      portalCluster({ name: 'infer', region: 'us-west-2', accountId: '222222222222' }),
    ];
    expect(clusterEntityNames(same)).toEqual([
      'train-us-east-1',
      'train-us-west-2-111111111111',
      'train-us-west-2-222222222222',
      'infer',
    ]);
  });
});
