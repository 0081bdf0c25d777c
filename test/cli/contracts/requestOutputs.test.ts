/**
 * The `-o json` and `-o yaml` of the `requests` commands, run for real (the built CLI as a child
 * process) against the portal backend on the sandbox: a request created, listed, fetched,
 * rejected, cancelled, and approved and carried out by the backend. Each output conforms to its
 * shipped schema (cli/schemas/request*.schema.json), YAML says what JSON says, and the JSON, with
 * ids and times normalised, matches its snapshot.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import type { UpgradeRequest } from '@hyperpod/core';
import { parse } from 'yaml';
import {
  eventually,
  portalConfig,
  portalSandbox,
  startPortal,
  VPC_CNI,
  type Portal,
  type PortalSandbox,
} from '../../portal/support';
import { buildCli, cleanEnv, runCli } from '../support/runCli';
import { expectConforms, milestones, normalise } from './validateOutput';

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const FINISHED = ['succeeded', 'rolled-back', 'failed', 'needs-attention'];

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
let p: PortalSandbox;
let portal: Portal;
let backend: string;

beforeAll(async () => {
  buildCli();
  p = await portalSandbox('contracts');
  portal = await startPortal({ config: portalConfig(p), knex: await databases.init('SQLITE_3') });
  backend = portal.url.replace(/\/api\/hyperpod$/, '');
}, 240_000);
afterAll(async () => {
  await portal?.stop();
  await p?.sb.stop();
  p?.restoreEnv();
});

/** `requests ARGS -o FORMAT` as `user`; exit 0, stdout parsed. */
async function requests(user: string, args: string[], format: 'json' | 'yaml'): Promise<unknown> {
  const env = cleanEnv({
    HYPERPOD_BACKEND_URL: backend,
    BACKSTAGE_TOKEN: mockCredentials.user.token(user),
  });
  const r = await runCli(['requests', ...args, '-o', format], env);
  if (r.code !== 0) throw new Error(`requests ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
  return format === 'json' ? JSON.parse(r.stdout) : parse(r.stdout);
}

const create = (reason: string, format: 'json' | 'yaml') =>
  requests(
    ALICE,
    ['create', '--cluster', p.owned.name, '--addon', VPC_CNI, '--to', 'latest', '--reason', reason],
    format,
  ) as Promise<UpgradeRequest>;

/** A request with its outcome's events reduced to the milestones. */
const withMilestones = (r: UpgradeRequest): unknown =>
  normalise({ ...r, ...(r.outcome ? { outcome: milestones(r.outcome) } : {}) });

describe('requests -o json|yaml', () => {
  it('create, list, get, reject, cancel: request and request-list, as JSON and as YAML', async () => {
    const created = await create('contract: rejected', 'json');
    expectConforms('request', created);
    expect(normalise(created)).toMatchSnapshot('create -o json');

    for (const args of [[], ['list']]) {
      const json = await requests(ALICE, args, 'json');
      const yaml = await requests(ALICE, args, 'yaml');
      expectConforms('request-list', json);
      expectConforms('request-list', yaml);
      expect(yaml).toEqual(json);
      expect(normalise(json)).toMatchSnapshot(`requests ${args.join(' ')} -o json`);
    }

    const got = await requests(ALICE, ['get', created.id], 'yaml');
    expectConforms('request', got);
    expect(got).toEqual(created);

    const rejected = await requests(BOB, ['reject', created.id, '--note', 'not now'], 'yaml');
    expectConforms('request', rejected);
    expect(normalise(rejected)).toMatchSnapshot('reject -o yaml');

    const second = await create('contract: cancelled', 'yaml');
    expectConforms('request', second);
    const cancelled = await requests(ALICE, ['cancel', second.id], 'json');
    expectConforms('request', cancelled);
    expect(normalise(cancelled)).toMatchSnapshot('cancel -o json');
  }, 120_000);

  it('approve, then get once the backend ran it: request with its outcome', async () => {
    const created = await create('contract: approved', 'json');
    const approved = await requests(BOB, ['approve', created.id, '--note', 'go'], 'json');
    expectConforms('request', approved);
    const done = await eventually(
      () => requests(ALICE, ['get', created.id], 'json') as Promise<UpgradeRequest>,
      (r) => FINISHED.includes(r.state),
      90_000,
    );
    expectConforms('request', done);
    expect(done).toMatchObject({ state: 'succeeded', outcome: { status: 'succeeded' } });
    expect(withMilestones(done)).toMatchSnapshot('get after the run -o json');
    const yaml = (await requests(ALICE, ['get', created.id], 'yaml')) as UpgradeRequest;
    expectConforms('request', yaml);
    expect(yaml).toEqual(done);
  }, 120_000);
});
