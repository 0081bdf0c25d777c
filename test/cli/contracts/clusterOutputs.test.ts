/**
 * The `-o json` and `-o yaml` of every command that reads or changes clusters, run for real (the
 * built CLI as a child process) on the sandbox's demo fleet: each output conforms to its shipped
 * schema (cli/schemas), YAML says exactly what JSON says, and the JSON, with what differs from run
 * to run normalised, matches its snapshot, so an accidental change to an output fails here.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Sandbox } from '@hyperpod/sandbox';
import { parse, parseAllDocuments } from 'yaml';
import { buildCli, runCli, type CliResult } from '../support/runCli';
import { sandboxFleet } from '../support/sandboxFleet';
import { expectConforms, milestones, normalise } from './validateOutput';

const INFERENCE = 'amazon-sagemaker-hyperpod-inference';

let sb: Sandbox;
let env: Record<string, string>;
let backupDir: string;

beforeAll(async () => {
  buildCli();
  sb = await Sandbox.start({ scenario: 'demo', addonTransitionMs: 20 });
  const fleet = await sandboxFleet(sb);
  backupDir = mkdtempSync(path.join(tmpdir(), 'hyperpod-contracts-'));
  env = {
    ...fleet.env,
    KUBECTL_HYPERPOD_POLL_MS: '20',
    KUBECTL_HYPERPOD_HOME: path.join(fleet.dir, '.hyperpod'),
  };
}, 240_000);
afterAll(async () => {
  await sb?.stop();
});

const cli = (args: string[]): Promise<CliResult> => runCli(args, env, 120_000);

/** Runs `args -o <format>`, expects exit `code`, and returns stdout parsed. */
async function output(args: string[], format: 'json' | 'yaml', code = 0): Promise<unknown> {
  const r = await cli([...args, '-o', format]);
  if (r.code !== code)
    throw new Error(`${args.join(' ')} -o ${format}: exit ${r.code}: ${r.stderr}`);
  return format === 'json' ? JSON.parse(r.stdout) : parse(r.stdout);
}

/**
 * A command that changes nothing, run with -o json and -o yaml: both conform, and say the same
 * thing. Returns the JSON, normalised.
 */
async function readOnly(file: string, args: string[], code = 0): Promise<unknown> {
  const json = await output(args, 'json', code);
  const yaml = await output(args, 'yaml', code);
  expectConforms(file, json);
  expectConforms(file, yaml);
  expect(normalise(yaml)).toEqual(normalise(json));
  return normalise(json);
}

/** readOnly, and the JSON matches the snapshot. */
async function readOnlyContract(file: string, args: string[], code = 0): Promise<unknown> {
  const json = await readOnly(file, args, code);
  expect(json).toMatchSnapshot();
  return json;
}

describe('reads', () => {
  it('status -A: cluster-reports', async () => {
    const reports = (await readOnlyContract('cluster-reports', ['status', '-A'])) as unknown[];
    expect(reports).toHaveLength(sb.clusters.length);
  });

  it('drift: cluster-reports', async () => {
    await readOnlyContract('cluster-reports', ['drift', '--cluster', 'ml-legacy-use1']);
  });

  it('addons versions -A: addon-versions', async () => {
    const reports = (await readOnlyContract('addon-versions', [
      'addons',
      'versions',
      INFERENCE,
      '-A',
    ])) as unknown[];
    expect(reports).toHaveLength(sb.clusters.length);
  });

  it('rbac: -o json is the v1 List (rbac); -o yaml its items as documents', async () => {
    const args = ['rbac', '--set', 'operate', '--serviceaccount', 'backstage:hyperpod-backend'];
    const json = (await output(args, 'json')) as { items: unknown[] };
    expectConforms('rbac', json);
    const r = await cli([...args, '-o', 'yaml']);
    expect(r.code).toBe(0);
    expect(parseAllDocuments(r.stdout).map((d) => d.toJS())).toEqual(json.items);
    expect(json).toMatchSnapshot();
  });
});

describe('plans (nothing changed)', () => {
  it('migrate plan and migrate --dry-run: migration-plan, the same document', async () => {
    const plan = await readOnlyContract('migration-plan', [
      'migrate',
      'plan',
      '--context',
      'ml-prod-use1',
    ]);
    const dryRun = await readOnly('migration-plan', [
      'migrate',
      '--dry-run',
      '--context',
      'ml-prod-use1',
      '--backup-dir',
      backupDir,
    ]);
    expect(dryRun).toEqual(plan);
  });

  it('migrate plan with blockers (exit 7): migration-plan', async () => {
    const plan = (await readOnly(
      'migration-plan',
      ['migrate', 'plan', '--context', 'ml-canary-usw2'],
      7,
    )) as { blockers: string[]; warnings: string[] };
    expect(plan.blockers.length).toBeGreaterThan(0);
    expect({ blockers: plan.blockers, warnings: plan.warnings }).toMatchSnapshot();
  });

  it('upgrade --dry-run: upgrade-plan', async () => {
    await readOnlyContract('upgrade-plan', [
      'upgrade',
      INFERENCE,
      '--to',
      'latest',
      '--dry-run',
      '--context',
      'ml-staging-usw2',
    ]);
  });

  it('resolve-conflicts --dry-run: resolve-conflicts-plan', async () => {
    await readOnlyContract('resolve-conflicts-plan', [
      'resolve-conflicts',
      'coredns',
      '--dry-run',
      '--context',
      'ml-batch-use1',
    ]);
  });
});

describe('runs', () => {
  const migrate = () => ['--context', 'ml-prod-use1', '--backup-dir', backupDir, '--auto-approve'];

  it('migrate: the plan (migration-plan); migrate history (migration-history); migrate rollback: the outcome (migration-outcome), twice: once as JSON, once as YAML', async () => {
    const outcomes: Record<string, unknown> = {};
    const plans: Record<string, unknown> = {};
    for (const format of ['json', 'yaml'] as const) {
      plans[format] = await output(['migrate', ...migrate()], format);
      expectConforms('migration-plan', plans[format]);
      const history = await output(['migrate', 'history', '--backup-dir', backupDir], format);
      expectConforms('migration-history', history);
      expect((history as unknown[]).length).toBe(format === 'json' ? 1 : 2);
      expect(normalise(history)).toMatchSnapshot(`history after migrate -o ${format}`);
      outcomes[format] = await output(['migrate', 'rollback', ...migrate()], format);
      expectConforms('migration-outcome', outcomes[format]);
    }
    expect(normalise(plans.yaml)).toEqual(normalise(plans.json));
    expect(normalise(outcomes.yaml)).toEqual(normalise(outcomes.json));
    expect(normalise(outcomes.json)).toMatchSnapshot('rollback outcome');
  });

  it('upgrade: the outcome (upgrade-outcome), one hop as JSON, the next as YAML', async () => {
    const target = ['--context', 'ml-staging-usw2', '--auto-approve'];
    const json = await output(['upgrade', INFERENCE, '--to', 'default', ...target], 'json');
    expectConforms('upgrade-outcome', json);
    expect(json).toMatchObject({ status: 'succeeded' });
    expect(milestones(json)).toMatchSnapshot();
    const yaml = await output(['upgrade', INFERENCE, '--to', 'latest', ...target], 'yaml');
    expectConforms('upgrade-outcome', yaml);
    expect(yaml).toMatchObject({ status: 'succeeded' });
    expect(milestones(yaml)).toMatchSnapshot();
  });

  it('upgrade refused (exit 9): upgrade-outcome', async () => {
    const json = await output(
      [
        'upgrade',
        INFERENCE,
        '--to',
        'v9.9.9-eksbuild.1',
        '--context',
        'ml-staging-usw2',
        '--auto-approve',
      ],
      'json',
      9,
    );
    expectConforms('upgrade-outcome', json);
    expect(json).toMatchObject({ status: 'refused' });
    expect(normalise(json)).toMatchSnapshot();
  });

  it('resolve-conflicts: the outcome (resolve-conflicts-outcome)', async () => {
    const json = await output(
      ['resolve-conflicts', 'coredns', '--context', 'ml-batch-use1', '--auto-approve'],
      'json',
    );
    expectConforms('resolve-conflicts-outcome', json);
    expect(json).toMatchObject({ status: 'succeeded' });
    expect(milestones(json)).toMatchSnapshot();
  });
});
