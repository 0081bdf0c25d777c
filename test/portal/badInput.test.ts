/**
 * Bad input against the portal API: each case gets a 4xx with a message that says what is wrong,
 * and changes nothing (no request created or moved, no mutating AWS call).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import type { UpgradeRequest } from '@hyperpod/core';
import { ALICE, BOB, upgradeBody } from './support';
import { portalDatabases, usePortal } from './usePortal';

const databases = portalDatabases(['SQLITE_3', 'POSTGRES_15']);

let rejected: UpgradeRequest;

describe.each(databases.eachSupportedId())('on %p', (databaseId) => {
  const s = usePortal({ prefix: 'bad', knex: () => databases.init(databaseId) });
  beforeAll(async () => {
    // Created with an idempotency key, so the key is in use for the reuse case.
    const r = await s.portal.call(ALICE, 'POST', '/requests', upgradeBody(s.p, 'setup'), {
      'Idempotency-Key': 'used-key-0001',
    });
    rejected = (await s.portal.call(BOB, 'POST', `/requests/${r.body.id}/reject`, {})).body;
  });

  const good = () => upgradeBody(s.p, 'ok reason');
  const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

  interface Case {
    name: string;
    method?: string;
    path: () => string;
    body?: () => unknown;
    headers?: Record<string, string>;
    status: number;
    message: RegExp;
  }

  const cases: Case[] = [
    {
      name: 'malformed JSON',
      path: () => '/requests',
      body: () => '{"cluster": ',
      status: 400,
      message: /not valid JSON/,
    },
    {
      name: 'text body',
      path: () => '/requests',
      body: () => 'cluster=x',
      headers: { 'content-type': 'text/plain' },
      status: 400,
      message: /must be JSON/,
    },
    {
      name: 'array body',
      path: () => '/requests',
      body: () => [good()],
      status: 400,
      message: /invalid upgrade request/,
    },
    {
      name: 'missing cluster',
      path: () => '/requests',
      body: () => ({ ...good(), cluster: undefined }),
      status: 400,
      message: /cluster:/,
    },
    {
      name: 'missing addonName',
      path: () => '/requests',
      body: () => ({ ...good(), addonName: undefined }),
      status: 400,
      message: /addonName:/,
    },
    {
      name: 'missing target',
      path: () => '/requests',
      body: () => ({ ...good(), target: undefined }),
      status: 400,
      message: /target:/,
    },
    {
      name: 'missing reason',
      path: () => '/requests',
      body: () => ({ ...good(), reason: undefined }),
      status: 400,
      message: /reason:/,
    },
    {
      name: 'reason too short',
      path: () => '/requests',
      body: () => ({ ...good(), reason: ' a ' }),
      status: 400,
      message: /reason: must be at least 3/,
    },
    {
      name: 'reason too long',
      path: () => '/requests',
      body: () => ({ ...good(), reason: 'x'.repeat(2001) }),
      status: 400,
      message: /reason: must be at most 2000/,
    },
    {
      name: 'reason with control characters',
      path: () => '/requests',
      body: () => ({ ...good(), reason: 'ok\u0007bell' }),
      status: 400,
      message: /control characters/,
    },
    {
      name: 'unknown field',
      path: () => '/requests',
      body: () => ({ ...good(), approveNow: true }),
      status: 400,
      message: /approveNow/,
    },
    {
      name: 'add-on name in upper case',
      path: () => '/requests',
      body: () => ({ ...good(), addonName: 'VPC-CNI' }),
      status: 400,
      message: /addonName: must be an EKS add-on name/,
    },
    {
      name: 'add-on name with a path',
      path: () => '/requests',
      body: () => ({ ...good(), addonName: '../etc' }),
      status: 400,
      message: /addonName/,
    },
    {
      name: 'target not a version',
      path: () => '/requests',
      body: () => ({ ...good(), target: 'v1' }),
      status: 400,
      message: /target: must be a version/,
    },
    {
      name: 'target a word',
      path: () => '/requests',
      body: () => ({ ...good(), target: 'newest' }),
      status: 400,
      message: /target/,
    },
    {
      name: 'cluster with spaces',
      path: () => '/requests',
      body: () => ({ ...good(), cluster: 'a b' }),
      status: 400,
      message: /cluster: must be an EKS cluster ARN/,
    },
    {
      name: 'cluster too long',
      path: () => '/requests',
      body: () => ({ ...good(), cluster: 'c'.repeat(301) }),
      status: 400,
      message: /cluster/,
    },
    {
      name: 'unknown cluster',
      path: () => '/requests',
      body: () => ({ ...good(), cluster: 'no-such-cluster' }),
      status: 404,
      message: /no cluster no-such-cluster/,
    },
    {
      name: 'add-on not installed',
      path: () => '/requests',
      body: () => ({ ...good(), addonName: 'coredns' }),
      status: 400,
      message: /coredns is not installed/,
    },
    {
      name: 'incompatible target version',
      path: () => '/requests',
      body: () => ({ ...good(), target: 'v9.9.9-eksbuild.1' }),
      status: 400,
      message: /cannot upgrade vpc-cni/,
    },
    {
      name: 'downgrade',
      path: () => '/requests',
      body: () => ({ ...good(), target: 'v1.17.1-eksbuild.1' }),
      status: 400,
      message: /cannot upgrade vpc-cni/,
    },
    {
      name: 'body over 64 KiB',
      path: () => '/requests',
      body: () => ({ ...good(), reason: 'x'.repeat(70_000) }),
      status: 413,
      message: /larger than 64kb/,
    },
    {
      name: 'bad Idempotency-Key',
      path: () => '/requests',
      body: good,
      headers: { 'Idempotency-Key': 'a' },
      status: 400,
      message: /Idempotency-Key header/,
    },
    {
      name: 'Idempotency-Key reused for another request',
      path: () => `/requests/${rejected.id}/approve`,
      body: () => ({}),
      headers: { 'Idempotency-Key': 'used-key-0001' },
      status: 409,
      message: /already used for a different request/,
    },
    {
      name: 'request id not a UUID',
      method: 'GET',
      path: () => '/requests/42',
      status: 400,
      message: /invalid request id/,
    },
    {
      name: 'unknown request id',
      method: 'GET',
      path: () => `/requests/${UNKNOWN_ID}`,
      status: 404,
      message: /no upgrade request/,
    },
    {
      name: 'approve an unknown request',
      path: () => `/requests/${UNKNOWN_ID}/approve`,
      body: () => ({}),
      status: 404,
      message: /no upgrade request/,
    },
    {
      name: 'approve with a bad id',
      path: () => '/requests/x/approve',
      body: () => ({}),
      status: 400,
      message: /invalid request id/,
    },
    {
      name: 'approve with an unknown field',
      path: () => `/requests/${rejected.id}/approve`,
      body: () => ({ force: true }),
      status: 400,
      message: /force/,
    },
    {
      name: 'approve with a note too long',
      path: () => `/requests/${rejected.id}/approve`,
      body: () => ({ note: 'n'.repeat(2001) }),
      status: 400,
      message: /note: must be at most 2000/,
    },
    {
      name: 'approve with a numeric note',
      path: () => `/requests/${rejected.id}/approve`,
      body: () => ({ note: 5 }),
      status: 400,
      message: /note/,
    },
    {
      name: 'approve a rejected request',
      path: () => `/requests/${rejected.id}/approve`,
      body: () => ({}),
      status: 409,
      message: /cannot approve a request that is rejected/,
    },
    {
      name: 'unknown action',
      path: () => `/requests/${rejected.id}/frobnicate`,
      body: () => ({}),
      status: 404,
      message: /./,
    },
    {
      name: 'list with an unknown state',
      method: 'GET',
      path: () => '/requests?state=bogus',
      status: 400,
      message: /state/,
    },
    {
      name: 'list with limit 0',
      method: 'GET',
      path: () => '/requests?limit=0',
      status: 400,
      message: /limit/,
    },
    {
      name: 'list with limit abc',
      method: 'GET',
      path: () => '/requests?limit=abc',
      status: 400,
      message: /limit/,
    },
    {
      name: 'list with an unknown parameter',
      method: 'GET',
      path: () => '/requests?sort=asc',
      status: 400,
      message: /sort/,
    },
    {
      name: 'list by a requester that is no entity ref',
      method: 'GET',
      path: () => '/requests?requestedBy=alice',
      status: 400,
      message: /requestedBy: must be an entity ref/,
    },
    {
      name: 'unknown cluster page',
      method: 'GET',
      path: () => '/clusters/no-such-cluster',
      status: 404,
      message: /no cluster/,
    },
    {
      name: 'versions of a bad add-on name',
      method: 'GET',
      path: () => `/clusters/${s.p.owned.name}/addons/BAD/versions`,
      status: 400,
      message: /add-on name/,
    },
    {
      name: 'a bad token',
      method: 'GET',
      path: () => '/fleet',
      headers: { authorization: mockCredentials.user.invalidHeader() },
      status: 401,
      message: /./,
    },
  ];

  async function state() {
    const list = await s.portal.call(BOB, 'GET', '/requests');
    return {
      requests: (list.body.items as UpgradeRequest[])
        .map((r) => `${r.id}:${r.state}:${r.history.length}`)
        .sort(),
      mutations: Object.entries(s.p.sb.awsCallStats().byOperation)
        .filter(([op]) => /\.(Update|Create|Delete)/.test(op))
        .map(([op, n]) => `${op}=${n}`)
        .sort(),
    };
  }

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name → $status', async (c) => {
    const before = await state();
    const r = await s.portal.call(ALICE, c.method ?? 'POST', c.path(), c.body?.(), c.headers);
    expect(r.status).toBe(c.status);
    expect(r.body?.error?.message ?? '').toMatch(c.message);
    expect(await state()).toEqual(before);
  });
});
