/**
 * Two real `kubectl hyperpod` processes on one sandbox cluster: the migration lock names the
 * process, not the run. A `migrate --resume RUN` started while RUN's own process is still running
 * is refused (exit 7, naming the live holder's pid) and the first process finishes alone; once
 * that process is killed (SIGKILL, no release), a resume is refused until the lease lapses, then
 * takes it and finishes. KUBECTL_HYPERPOD_LEASE_SECONDS=15 keeps the lapse short.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MigrationJournalEntry } from '@hyperpod/core';
import { FileMigrationStore } from '@hyperpod/core-node';
import type { Sandbox, SandboxSnapshot } from '@hyperpod/sandbox';
import { gatewaysFor, helmSandbox } from '../migrate/support';
import { buildCli, CLI_BIN, runCli, type CliResult } from './support/runCli';
import { sandboxFleet } from './support/sandboxFleet';

const CLUSTER = 'ml-cli-lock-use1';
const INFERENCE = 'amazon-sagemaker-hyperpod-inference';
const LEASE_SECONDS = 15;

let sb: Sandbox;
let env: Record<string, string>;
let backupDir: string;
let before: SandboxSnapshot;

const cli = (args: string[]): Promise<CliResult> =>
  runCli([...args, '--backup-dir', backupDir], env, 120_000);
const addonStatus = async (): Promise<string | undefined> =>
  (await gatewaysFor(sb, CLUSTER).eks.describeAddon(CLUSTER, INFERENCE))?.status;
const journal = async (runId: string): Promise<MigrationJournalEntry[]> =>
  (await new FileMigrationStore({ root: backupDir }).read(runId))!.journal;

interface Running {
  child: ChildProcessWithoutNullStreams;
  runId: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts `migrate --auto-approve` and resolves once it waits for the add-on (mid-run). */
function startMigrating(): Promise<Running> {
  const child = spawn(
    process.execPath,
    [CLI_BIN, 'migrate', '--auto-approve', '--backup-dir', backupDir],
    { env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const run = /^run (\S+): backup and journal in/m.exec(stderr);
      if (run && /… wait until \S+ is ACTIVE/.test(stderr))
        resolve({ child, runId: run[1]!, stderr: () => stderr, exit });
    });
    void exit.then((code) => reject(new Error(`migrate ended (${code}) early:\n${stderr}`)));
  });
}

beforeAll(async () => {
  buildCli();
  sb = await helmSandbox(CLUSTER);
  const fleet = await sandboxFleet(sb);
  backupDir = mkdtempSync(path.join(tmpdir(), 'hyperpod-lock-'));
  env = {
    ...fleet.env,
    KUBECTL_HYPERPOD_HOME: path.join(fleet.dir, '.hyperpod'),
    KUBECTL_HYPERPOD_POLL_MS: '20',
    KUBECTL_HYPERPOD_LEASE_SECONDS: String(LEASE_SECONDS),
  };
  before = sb.snapshot();
}, 240_000);
afterAll(async () => {
  await sb?.stop();
});
afterEach(() => {
  sb.timing.addonTransitionMs = 20;
});

describe('two kubectl hyperpod processes on one run', () => {
  it('migrate --resume RUN while RUN is running: refused (exit 7) naming the live process; the first finishes alone', async () => {
    // Slow enough that the first process is mid-run while the second starts.
    sb.timing.addonTransitionMs = 6_000;
    const first = await startMigrating();
    const second = await cli(['migrate', '--resume', first.runId, '--auto-approve']);
    expect(second.code).toBe(7);
    expect(second.stderr).toMatch(
      new RegExp(
        `^error: another migration holds this cluster: \\S+@\\S+/pid-${first.child.pid}/[0-9a-f]{12} \\(run ${first.runId}\\) since \\S+; the lock expires at \\S+ unless renewed; nothing was changed$`,
        'm',
      ),
    );
    expect(second.stderr).toMatch(/^try: kubectl hyperpod migrate history {2}# wait for run /m);

    expect(await first.exit).toBe(0);
    expect(first.stderr()).toMatch(/^status: +succeeded$/m);
    expect(await addonStatus()).toBe('ACTIVE');
    // The refused process wrote nothing: one start, one end, every action once.
    const entries = await journal(first.runId);
    expect(entries.filter((e) => e.type === 'run-started')).toHaveLength(1);
    const started = entries.filter((e) => e.type === 'action-started').map((e) => e.actionId);
    expect(new Set(started).size).toBe(started.length);
    expect(entries[entries.length - 1]!.type).toBe('run-succeeded');

    const rb = await cli(['migrate', 'rollback', '--run', first.runId, '--auto-approve']);
    expect(rb.code).toBe(0);
    expect(sb.diff(before)).toEqual([]);
  }, 180_000);

  it('after SIGKILL: a resume is refused until the dead process’s lease lapses, then takes it and finishes', async () => {
    sb.timing.addonTransitionMs = 3_000;
    const dead = await startMigrating();
    dead.child.kill('SIGKILL');
    await dead.exit;
    sb.timing.addonTransitionMs = 20;
    await sb.services.eks.settled();

    const early = await cli(['migrate', '--resume', dead.runId, '--auto-approve']);
    expect(early.code).toBe(7);
    expect(early.stderr).toContain(`/pid-${dead.child.pid}/`);
    const expiresAt = /the lock expires at (\S+) unless renewed/.exec(early.stderr)![1]!;
    expect(early.stderr).toContain(`retry after ${expiresAt} if its process died`);

    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expiresAt) - Date.now()) + 500));
    const resumed = await cli(['migrate', '--resume', dead.runId, '--auto-approve']);
    expect(resumed.stderr).toMatch(/^status: +succeeded$/m);
    expect(resumed.code).toBe(0);
    expect(await addonStatus()).toBe('ACTIVE');

    const rb = await cli(['migrate', 'rollback', '--run', dead.runId, '--auto-approve']);
    expect(rb.code).toBe(0);
    expect(sb.diff(before)).toEqual([]);
  }, 180_000);
});
