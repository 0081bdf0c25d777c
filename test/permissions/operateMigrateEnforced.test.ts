import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  executeUpgrade,
  InMemoryMigrationStore,
  prepareUpgrade,
  rollbackMigration,
  startMigration,
} from '@hyperpod/core';
import type { Sandbox } from '@hyperpod/sandbox';
import { gatewaysFor, helmSandbox, testDeps, unblockedPlan } from '../migrate/support';

/**
 * With IAM enforcement on and the account's user holding exactly the shipped operate policy (as
 * a customer managed policy attached to the user, the way a platform team applies it), a migrate
 * of the Helm install and its rollback succeed, leaving the fleet as it was, and an add-on
 * upgrade succeeds. The policy is
 * evaluated with the resources' real tags: the roles the migration creates carry
 * `CreatedBy=HyperPodInference`, which the role-grant and role-delete statements require.
 */
const CLUSTER = 'ml-operate-use1';
const operate = JSON.parse(
  readFileSync(path.join(__dirname, '../../permissions/iam/hyperpod-operate.json'), 'utf8'),
) as object;

describe('the shipped operate policy under enforcement', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = await helmSandbox(CLUSTER, {
      scenarioOptions: {
        authorization: { prod: { enforce: true, userPolicies: { 'hyperpod-operate': operate } } },
      },
    });
  });
  afterAll(async () => {
    await sb?.stop();
  });

  it('migrates the Helm install to the add-on and rolls back to an identical snapshot', async () => {
    expect(sb.authorization.isEnforced(sb.cluster(CLUSTER).accountId)).toBe(true);
    const g = gatewaysFor(sb, CLUSTER);
    const before = sb.snapshot();
    const plan = await unblockedPlan(g, CLUSTER);
    const store = new InMemoryMigrationStore();
    const out = await startMigration(plan, 'run-operate', testDeps(g, store));
    expect(out).toMatchObject({ status: 'succeeded' });
    const rb = await rollbackMigration('run-operate', testDeps(g, store));
    expect(rb).toMatchObject({ status: 'rolled-back', rollbackErrors: [] });
    expect(sb.diff(before)).toEqual([]);
  });

  it('upgrades a core add-on hop by hop', async () => {
    const { eks } = gatewaysFor(sb, CLUSTER);
    const plan = await prepareUpgrade(eks, {
      clusterName: CLUSTER,
      addonName: 'vpc-cni',
      target: 'latest',
    });
    expect(plan.refusals).toEqual([]);
    expect(plan.hops.length).toBeGreaterThan(0);
    const out = await executeUpgrade(plan, { eks, pollMs: 10, timeoutMs: 10_000 });
    expect(out).toMatchObject({ status: 'succeeded', hopsDone: plan.hops });
  });

  it('lets an explicit Deny attached beside the operate policy win', async () => {
    const acct = sb.cluster(CLUSTER).accountId;
    const user = sb.account(acct).principalArn;
    const deny = sb.services.iam.seedPolicy({
      accountId: acct,
      name: 'deny-iam',
      document: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: 'iam:*', Resource: '*' }],
      },
    });
    sb.services.iam.seedUserPolicyAttachment(acct, user.slice(user.lastIndexOf('/') + 1), deny);
    const g = gatewaysFor(sb, CLUSTER);
    const denied = await g.iam.getRole('anything').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(denied?.message).toContain(
      `is not authorized to perform: iam:GetRole on resource: arn:aws:iam::${acct}:role/anything with an explicit deny in an identity-based policy`,
    );
  });
});
