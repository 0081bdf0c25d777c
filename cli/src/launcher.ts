/**
 * What bin/run.js runs. The CLI ships as two CommonJS bundles built by scripts/bundle.mjs
 * (docs/adr/0006-cli-bundle.md):
 *
 * - dist/bundle/oclif.cjs: oclif, everything `--help` and command lookup need (with
 *   oclif.manifest.json);
 * - dist/bundle/cli.cjs: the commands, @hyperpod/core, @hyperpod/core-node, the AWS SDK clients
 *   and @kubernetes/client-node, which oclif loads only to run a command, through
 *   dist/bundle/commands.cjs (package.json `oclif.commands`). Inside it every module is evaluated
 *   on first use, as before: an SDK client a command does not call costs nothing but its bytes.
 *
 * Both are compiled here rather than by require(), with a V8 code cache in the CLI's cache
 * directory: after the first run V8 deserialises the compiled code instead of parsing megabytes
 * of JavaScript again (Node 20 has no module.enableCompileCache). NODE_DISABLE_COMPILE_CACHE=1
 * turns it off, and so does --enable-source-maps (stack traces then point at the TypeScript).
 *
 * This file is plain tsc output (dist/launcher.js) and loads nothing but Node built-ins (and, for
 * "did you mean" after a mistyped command, dist/closest.js beside it).
 */
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import path from 'node:path';
import { Script } from 'node:vm';

/** dist/bundle/bundle.json, written by scripts/bundle.mjs. */
export interface BundleInfo {
  /** Bundle file name → hash of its content (a compile cache is only used for that content). */
  files: Record<string, string>;
  /** Files (relative to the cli/ root) whose change makes a checkout's bundle stale. */
  inputs: string[];
}

/** The cli/ root: this file is dist/launcher.js. */
const ROOT = path.join(__dirname, '..');
export const BUNDLE_DIR = path.join(ROOT, 'dist', 'bundle');
/** Written last by scripts/bundle.mjs: its time is the bundle's. */
const MANIFEST = path.join(ROOT, 'oclif.manifest.json');

/** Runs the CLI: `bin/run.js` passes its own directory, oclif's root is found from there. */
export async function main(binDir: string): Promise<void> {
  rebuildIfStale();
  // oclif warns when Node is older than @oclif/core's own `engines` (>=18, not ours), loading
  // semver on every start to check it (~2 ms). The CLI checks its own requirement instead.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= 'true';
  const old = nodeTooOld(process.versions.node, engines());
  if (old) process.stderr.write(`warning: ${old}\n`);
  const oclif = loadBundle(path.join(BUNDLE_DIR, 'oclif.cjs')) as typeof import('@oclif/core');
  // Always the bundled commands: with NODE_ENV=development|test oclif would look for TypeScript
  // sources (and warn when an installed copy has none).
  oclif.settings.enableAutoTranspile = false;
  const route = routeArgv(process.argv.slice(2), manifestCommands());
  if ('error' in route) {
    process.stderr.write(`error: ${route.error}\ntry: ${route.fix}\n`);
    process.exitCode = route.exitCode;
  } else await oclif.execute({ dir: binDir, args: route.run });
  // The command has returned and awaited all its work (oclif sets process.exitCode on failure).
  // Exit once the output is written instead of letting the event loop run dry: by then V8 has
  // usually started an incremental garbage collection of the heap the run built, and finishing
  // it before an idle exit costs ~20 ms of a ~200 ms `status` (bench/README.md).
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit();
}

/** cli/package.json `engines.node`. */
function engines(): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      engines?: { node?: string };
    };
    return pkg.engines?.node;
  } catch {
    return undefined;
  }
}

/**
 * Why `version` (process.versions.node) does not meet `required`, a `>=MAJOR[.MINOR[.PATCH]]`
 * range as cli/package.json states it; undefined when it does (or the range is of another form).
 */
export function nodeTooOld(version: string, required: string | undefined): string | undefined {
  const min = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(required?.trim() ?? '');
  if (!min) return undefined;
  const have = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const want = Number(min[i + 1] ?? 0);
    const got = have[i] ?? 0;
    if (got > want) return undefined;
    if (got < want)
      return `kubectl-hyperpod needs Node.js ${required!.trim()}; this is ${version} (try: install Node.js ${min.slice(1).filter(Boolean).join('.')} or newer)`;
  }
  return undefined;
}

/** Resolves when everything written to `stream` has been handed to the OS (or never can be). */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done).off('close', done).off('error', done);
      resolve();
    };
    stream.on('drain', done).on('close', done).on('error', done);
  });
}

/**
 * In a checkout (scripts/bundle.mjs is there; an installed copy has no scripts/), rebuilds the
 * bundle when what it is made of changed since it was built: tsc's output of cli/, core and
 * core-node (their .tsbuildinfo files), the installed dependencies, the build scripts. So `tsc -b`
 * then `node cli/bin/run.js` runs what was just compiled, as it did before the bundle.
 */
function rebuildIfStale(): void {
  const script = path.join(ROOT, 'scripts', 'bundle.mjs');
  if (!existsSync(script)) return;
  const builtAt = mtime(MANIFEST);
  const info = builtAt === undefined ? undefined : bundleInfo();
  const stale =
    builtAt === undefined ||
    info === undefined ||
    info.inputs.some((f) => (mtime(path.join(ROOT, f)) ?? 0) > builtAt);
  if (!stale) return;
  if (process.stderr.isTTY)
    process.stderr.write('kubectl-hyperpod: rebuilding cli/dist/bundle (its inputs changed)…\n');
  const r = spawnSync(process.execPath, [script, '--quiet'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    process.stderr.write(
      `error: could not rebuild the CLI bundle (${r.error?.message ?? `exit ${r.status ?? r.signal}`})\n` +
        'try: npm run build\n',
    );
    process.exit(1);
  }
  cachedInfo = undefined;
}

let cachedInfo: BundleInfo | null | undefined;

function bundleInfo(): BundleInfo | undefined {
  if (cachedInfo === undefined) {
    try {
      cachedInfo = JSON.parse(
        readFileSync(path.join(BUNDLE_DIR, 'bundle.json'), 'utf8'),
      ) as BundleInfo;
    } catch {
      cachedInfo = null;
    }
  }
  return cachedInfo ?? undefined;
}

function mtime(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * require() for one of the bundles, with a V8 code cache. The module is registered in
 * require.cache under its path, as require() would, so `require('./oclif.cjs')` from cli.cjs gets
 * this instance.
 */
export function loadBundle(file: string): unknown {
  const loaded = require.cache[file];
  if (loaded) return loaded.exports;
  const hash = process.env.NODE_DISABLE_COMPILE_CACHE
    ? undefined
    : bundleInfo()?.files[path.basename(file)];
  // Node's own loader when there is no cache to use, or to map stack traces through the bundles'
  // source maps (`--enable-source-maps` does not reach code compiled by vm.Script).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known at run time
  if (hash === undefined || process.sourceMapsEnabled) return require(file);
  // Size and time from the descriptor the source is read from: the cache key then describes
  // these very bytes, even if a rebuild replaces the file meanwhile.
  const fd = openSync(file, 'r');
  let bytes: Buffer;
  let st: Stats;
  try {
    st = fstatSync(fd);
    bytes = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  // The bundles are ASCII but for a few regular expressions (esbuild escapes the rest): then
  // latin1 decodes the same string, several times faster than UTF-8 for megabytes.
  const source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
  const cacheFile = compileCacheFile(file, hash, st);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new Script(Module.wrap(source), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = module.paths;
  require.cache[file] = mod;
  try {
    const wrapper = script.runInThisContext() as (
      exports: unknown,
      require: NodeJS.Require,
      module: Module,
      filename: string,
      dirname: string,
    ) => void;
    wrapper.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  } catch (e) {
    delete require.cache[file];
    throw e;
  }
  mod.loaded = true;
  if (cachedData === undefined || script.cachedDataRejected) {
    // At exit, so the cache holds every function this run compiled, not only the top level.
    process.once('exit', () => writeCompileCache(cacheFile, script));
  }
  return mod.exports;
}

/**
 * Where the code cache of `file` lives. The name starts with the installation and the runtime
 * (the bundle's path, Node version, architecture, Node and V8 options: V8 refuses a cache made
 * under other flags) and the runs it serves (cacheVariant), then says which build of the bundle
 * it is for: its content hash (bundle.json), size and time (a bundle edited in place gets a new
 * cache). A new build replaces the cache of the old one in the same place; two installations
 * keep one each.
 */
function compileCacheFile(file: string, hash: string, st: Stats): string {
  const where = fnv1a([file, ...process.execArgv, process.env.NODE_OPTIONS ?? ''].join('\0'));
  const runtime = [path.basename(file), process.version, process.arch, where, cacheVariant(file)];
  const build = [hash, st.size, Math.trunc(st.mtimeMs)];
  return path.join(cacheDir(), 'compile-cache', `${runtime.join('-')}--${build.join('-')}.v8`);
}

/**
 * Which runs share a code cache. A cache holds the functions compiled by the run that wrote it,
 * and a run that needs others compiles them from source, every time: with one cache for all
 * commands, `status` after a first `requests list` stayed ~30 % slower until the next upgrade.
 * So cli.cjs keeps one per command topic (`status`, `drift`, `migrate` for all of `migrate …`),
 * its first word, which oclif has found to be a command or topic by the time it loads cli.cjs;
 * oclif.cjs one for help (no command, `--help`, `--version`) and one for running a command.
 */
export function cacheVariant(file: string, argv: string[] = process.argv.slice(2)): string {
  const first = argv[0];
  const command = first !== undefined && /^[a-z][a-z0-9-]{0,40}$/.test(first) ? first : undefined;
  if (path.basename(file) !== 'cli.cjs')
    return command && !argv.includes('--help') && !argv.includes('-h') ? 'run' : 'help';
  return command ?? 'other';
}

/** A short, stable name for a string (not a security measure). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * The CLI's cache directory: oclif's (`config.cacheDir`), unless `KUBECTL_HYPERPOD_CACHE_DIR`
 * names another.
 */
export function cacheDir(): string {
  const own = process.env.KUBECTL_HYPERPOD_CACHE_DIR;
  if (own) return own;
  if (process.platform === 'darwin')
    return path.join(homedir(), 'Library', 'Caches', 'kubectl-hyperpod');
  return path.join(
    process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'),
    'kubectl-hyperpod',
  );
}

/**
 * Caches kept per bundle, the most recently written: one per kind of run (cacheVariant) of a
 * checkout and of an install, a second Node version... (cli.cjs's cache of a `status` is ~1.2 MB,
 * oclif.cjs's ~0.4 MB).
 */
const KEEP_CACHES = 16;

function writeCompileCache(cacheFile: string, script: Script): void {
  // An optimisation only: a read-only or full home directory must never fail the command.
  try {
    const data = script.createCachedData();
    const dir = path.dirname(cacheFile);
    mkdirSync(dir, { recursive: true });
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, cacheFile);
    // Caches of other builds of this bundle in this place (an upgrade leaves them behind),
    // temporary files of runs killed while writing, and beyond the newest few caches of this
    // bundle (other commands, installations, Node versions or options) the older ones.
    const name = path.basename(cacheFile);
    const bundle = name.slice(0, name.indexOf('-') + 1);
    const runtime = name.slice(0, name.indexOf('--') + 2);
    const hourAgo = Date.now() - 3_600_000;
    const others: { file: string; time: number }[] = [];
    for (const f of readdirSync(dir)) {
      if (!f.startsWith(bundle) || f === name) continue;
      const file = path.join(dir, f);
      const time = mtime(file) ?? 0;
      if (f.endsWith('.tmp')) {
        if (time < hourAgo) rmSync(file, { force: true });
      } else if (f.startsWith(runtime)) rmSync(file, { force: true });
      else others.push({ file, time });
    }
    others.sort((x, y) => y.time - x.time);
    for (const { file } of others.slice(KEEP_CACHES - 1)) rmSync(file, { force: true });
  } catch {
    // Next run compiles from source again.
  }
}

/** oclif.manifest.json's commands: their ids, positional arguments and flags. */
function manifestCommands(): Record<string, CommandShape> {
  try {
    const m = JSON.parse(readFileSync(MANIFEST, 'utf8')) as {
      commands: Record<string, { args?: Record<string, unknown>; flags?: Record<string, unknown> }>;
    };
    return Object.fromEntries(
      Object.entries(m.commands).map(([id, c]) => [
        id,
        { args: Object.keys(c.args ?? {}), flags: Object.keys(c.flags ?? {}) },
      ]),
    );
  } catch {
    return {};
  }
}

/*
 * What oclif cannot say well, decided before oclif runs: `help COMMAND`, a misspelt command
 * (`stauts`), and a word after a command that takes none (`status ml-prod-use1`, which oclif
 * reads as a command `status:ml-prod-use1`).
 */

/** From oclif.manifest.json: each command id (`addons:versions`) and its positional arguments and flags. */
export interface CommandShape {
  args: string[];
  flags: string[];
}

export type Route = { run: string[] } | { error: string; fix: string; exitCode: number };

const BIN = 'kubectl hyperpod';

export function routeArgv(argv: readonly string[], commands: Record<string, CommandShape>): Route {
  const ids = Object.keys(commands);
  const topics = new Set(
    ids.flatMap((id) =>
      id
        .split(':')
        .slice(0, -1)
        .map((_, i, a) => a.slice(0, i + 1).join(':')),
    ),
  );
  if (argv[0] === 'help') {
    const rest = argv.slice(1);
    if (rest.length === 0) return { run: ['--help'] };
    const routed = routeArgv(rest, commands);
    return 'run' in routed ? { run: [...routed.run, '--help'] } : routed;
  }
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  if (words.length === 0) return { run: [...argv] };
  // The longest run of leading words that names a command or a topic.
  let n = 0;
  for (let i = 1; i <= words.length; i++) {
    const id = words.slice(0, i).join(':');
    if (commands[id] || topics.has(id)) n = i;
  }
  if (n === 0) {
    const guess = closest(words[0]!, [...new Set(ids.map((id) => id.split(':')[0]!))]);
    return {
      error: `unknown command "${words[0]}"`,
      fix: guess ? `${BIN} ${[guess, ...argv.slice(1)].map(quote).join(' ')}` : `${BIN} --help`,
      exitCode: 2,
    };
  }
  const id = words.slice(0, n).join(':');
  const shape = commands[id];
  const extra = words.slice(n);
  if (!shape) {
    if (extra.length === 0) return { run: [...argv] };
    // A topic followed by a word that is none of its commands.
    const subs = ids.filter((c) => c.startsWith(`${id}:`)).map((c) => c.slice(id.length + 1));
    const guess = closest(extra[0]!, subs);
    return {
      error: `unknown command "${[...words.slice(0, n), extra[0]].join(' ')}"`,
      fix: guess
        ? `${BIN} ${[...words.slice(0, n), guess, ...argv.slice(n + 1)].map(quote).join(' ')}`
        : `${BIN} ${words.slice(0, n).join(' ')} --help`,
      exitCode: 2,
    };
  }
  if (extra.length > shape.args.length && shape.args.length === 0) {
    const word = extra[0]!;
    const cmd = words.slice(0, n).join(' ');
    const rest = argv.filter((a, i) => !(i >= n && i < n + extra.length && a === extra[i - n]));
    // `status ml-prod-use1`: a cluster name where kubectl would take a resource name.
    if (shape.flags.includes('cluster')) {
      return {
        error: `${cmd} takes no arguments: "${word}" (a cluster is chosen with --cluster, --context, -A or -f)`,
        fix: `${BIN} ${[...rest.map(quote), ...extra.flatMap((w) => ['--cluster', quote(w)])].join(' ')}`,
        exitCode: 2,
      };
    }
    return {
      error: `${cmd} takes no arguments: "${word}"`,
      fix: `${BIN} ${cmd} --help`,
      exitCode: 2,
    };
  }
  return { run: [...argv] };
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * "Did you mean" for a routing error: from dist/closest.js, required only then, so that a run
 * loads nothing but this file and the bundles.
 */
function closest(input: string, known: readonly string[]): string | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on this path only
  const { closest: nearest } = require('./closest') as typeof import('./closest');
  return nearest(input, known, Math.max(2, Math.floor(input.length / 3)));
}
