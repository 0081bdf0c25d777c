/**
 * CLI start against the floor (issue 18): `kubectl hyperpod status --context C -o json` on one
 * demo-sandbox cluster, timed against the least a program does to print the same JSON
 * (statusFloor.ts, bundled here with esbuild) and against `node -e 0`, on the Node that runs
 * this, with and without a CA bundle (NODE_EXTRA_CA_CERTS). Target: status ≤ 1.5× the floor in
 * both cases. Prints figures; always exits 0 (a missed target prints MISSED).
 *
 *   npm run bench:start [-- --runs 20] [--cli NAME=PATH ...] [--profile DIR]
 *
 * `--cli` (repeatable) times other builds of the CLI alongside (a copy of cli/ with a different
 * bundle), interleaved with the rest: how the ≥ 10 ms rule of ADR 0006 was measured. Every
 * command runs once untimed first (a checkout's launcher rebuilds a stale bundle; compile caches
 * are written), then `--runs` times, interleaved; medians. `--profile DIR` also writes one
 * `--cpu-prof` profile of each command per case.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { cliEnvFor, startDemoSandboxProcess } from './demoSandboxProcess';
import { numberOption } from './numberOption';
import { median } from './median';

const REPO = resolve(__dirname, '..', '..');
const CLUSTER = 'ml-prod-use1';
const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const TARGET = 1.5;

interface Timed {
  ms: number;
  /** CPU time of the process itself (user + system), as it reported at exit. */
  cpuMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(argv: string[], env: NodeJS.ProcessEnv): Timed {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, argv, { env, cwd: REPO, encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.error) throw r.error;
  const cpu = /\n@@cpu (\d+)\n/.exec(r.stderr);
  return {
    ms,
    cpuMs: cpu ? Number(cpu[1]) / 1000 : NaN,
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/**
 * Preloaded into every timed process (NODE_OPTIONS=--require): its own CPU time at exit, on
 * stderr. On a loaded machine wall time also measures the other processes (and the sandbox
 * answering on the same cores); CPU time is the work the process itself did.
 */
const CPU_PRELOAD =
  "process.on('exit', () => { const u = process.cpuUsage();" +
  " require('node:fs').writeSync(2, '\\n@@cpu ' + (u.user + u.system) + '\\n'); });\n";

/** `status -o json` without the fields that differ run to run. */
function comparable(json: string): string {
  const reports = JSON.parse(json) as Record<string, unknown>[];
  return JSON.stringify(reports.map((r) => ({ ...r, scannedAt: 0, durationMs: 0 })));
}

/** statusFloor.ts as one file with only the core functions it reaches (the core's ES sources). */
async function buildFloor(out: string): Promise<void> {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(REPO, 'bench', 'src', 'statusFloor.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // @hyperpod/core's `module` is its TypeScript source, free of side effects: tree-shaken.
    mainFields: ['module', 'main'],
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'error',
  });
}

interface Command {
  name: string;
  argv: string[];
  /** Output checked against the CLI's (same JSON). */
  json?: boolean;
  env?: NodeJS.ProcessEnv;
}

async function main(): Promise<void> {
  const { values: v } = parseArgs({
    options: {
      runs: { type: 'string' },
      cli: { type: 'string', multiple: true },
      profile: { type: 'string' },
    },
  });
  const runs = numberOption(v.runs, 'runs', 20);
  const dir = mkdtempSync(join(tmpdir(), 'hyperpod-start-'));
  const floor = join(dir, 'statusFloor.cjs');
  await buildFloor(floor);
  const sb = await startDemoSandboxProcess(CLUSTER);
  try {
    const base = cliEnvFor(sb, dir);
    for (const k of ['NODE_DISABLE_COMPILE_CACHE', 'NODE_COMPILE_CACHE']) delete base[k];
    const preload = join(dir, 'cpu.cjs');
    writeFileSync(preload, CPU_PRELOAD);
    base.NODE_OPTIONS = `--require ${preload}`;
    const statusArgs = ['status', '--context', sb.context, '-o', 'json'];
    const clis = (v.cli ?? []).map((spec) => {
      const at = spec.indexOf('=');
      return { name: spec.slice(0, at), path: resolve(spec.slice(at + 1)) };
    });
    const commands: Command[] = [
      { name: 'node -e 0', argv: ['-e', '0'] },
      { name: 'floor', argv: [floor, '--context', sb.context], json: true },
      // The floor with Node's compile cache (any Node program can turn it on): the least work.
      {
        name: 'floor, compile cache',
        argv: [floor, '--context', sb.context],
        json: true,
        env: { NODE_COMPILE_CACHE: join(dir, 'floor-cache') },
      },
      { name: 'status', argv: [join(REPO, 'cli', 'bin', 'run.js'), ...statusArgs], json: true },
      // The same without the learned pacer's spacing (one EKS call per 1/rate s, starting at
      // 10/s: ADR 0009), which the floor does not do: what is left is start-up and work.
      {
        name: 'status --rate-limit 1000',
        argv: [join(REPO, 'cli', 'bin', 'run.js'), ...statusArgs, '--rate-limit', '1000'],
        json: true,
      },
      ...clis.map((c) => ({
        name: `status (${c.name})`,
        argv: [c.path, ...statusArgs],
        json: true,
      })),
    ];
    const rows: string[][] = [];
    for (const caBundle of [true, false]) {
      const env = { ...base };
      if (caBundle) env.NODE_EXTRA_CA_CERTS = CA_BUNDLE;
      else delete env.NODE_EXTRA_CA_CERTS;
      const tag = caBundle ? 'with CA bundle' : 'without CA bundle';
      let expected: string | undefined;
      for (const c of commands) {
        const r = run(c.argv, { ...env, ...c.env });
        if (r.code !== 0)
          throw new Error(`${c.name} failed (${r.code}): ${r.stderr.slice(0, 400)}`);
        if (!c.json) continue;
        expected ??= comparable(r.stdout);
        if (comparable(r.stdout) !== expected)
          throw new Error(`${c.name} printed other JSON than the floor`);
      }
      if (v.profile) {
        const out = resolve(v.profile, caBundle ? 'ca' : 'no-ca');
        mkdirSync(out, { recursive: true });
        for (const c of commands)
          run(['--cpu-prof', `--cpu-prof-dir=${out}`, ...c.argv], { ...env, ...c.env });
      }
      const times = new Map(commands.map((c) => [c.name, [] as number[]]));
      const cpus = new Map(commands.map((c) => [c.name, [] as number[]]));
      for (let i = 0; i < runs; i++)
        for (const c of commands) {
          const r = run(c.argv, { ...env, ...c.env });
          if (r.code !== 0)
            throw new Error(`${c.name} failed (${r.code}): ${r.stderr.slice(0, 400)}`);
          times.get(c.name)!.push(r.ms);
          cpus.get(c.name)!.push(r.cpuMs);
        }
      const med = new Map([...times].map(([k, xs]) => [k, median(xs)]));
      const cpuMed = new Map([...cpus].map(([k, xs]) => [k, median(xs)]));
      // The floor is the faster of the two (with or without a compile cache).
      const floors = ['floor', 'floor, compile cache'];
      const floorMs = Math.min(...floors.map((f) => med.get(f)!));
      const floorCpu = Math.min(...floors.map((f) => cpuMed.get(f)!));
      for (const c of commands) {
        const ms = med.get(c.name)!;
        const cpu = cpuMed.get(c.name)!;
        const isStatus = c.name.startsWith('status');
        const ratio = ms / floorMs;
        const vsFloor = !floors.includes(c.name) && c.name !== 'node -e 0';
        rows.push([
          `${c.name} [${tag}]`,
          `${ms.toFixed(1)} ms`,
          vsFloor ? `${ratio.toFixed(2)}× floor` : '',
          `cpu ${cpu.toFixed(1)} ms`,
          vsFloor ? `${(cpu / floorCpu).toFixed(2)}×` : '',
          isStatus ? `≤ ${TARGET}×` : '',
          isStatus ? (ratio <= TARGET ? 'met' : 'MISSED') : '',
        ]);
      }
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    process.stdout.write(
      `Node ${process.version}, ${runs} interleaved runs each, medians of wall time and of the ` +
        `process's own CPU time; status on ${sb.name}; target on wall time\n` +
        rows
          .map((r) =>
            r
              .map((c, i) => c.padEnd(widths[i]!))
              .join('  ')
              .trimEnd(),
          )
          .join('\n') +
        '\n',
    );
  } finally {
    await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 0;
});
