/**
 * MigrationStore on the local filesystem: one 0700 directory per run under a root in the user's
 * home (never /tmp: a backup is what a rollback restores from, and it can hold secrets).
 *
 *   <root>/<runId>/plan.json       the plan, as planned
 *                  summary.json    cluster, profile, createdAt; written last, so a run exists once
 *                                  it is there (a create cut short is ignored, never resumed)
 *                  backup.json     written once
 *                  journal.ndjson  one JSON entry per line, appended and fsynced
 *
 * Files are 0600. plan, summary and backup are written to a private temporary file, fsynced, then
 * hard-linked into place: link() refuses an existing name (so nothing is ever overwritten, as with
 * open 'wx') and, unlike writing the final name directly, a crash mid-write cannot leave a
 * truncated backup.json that would then block the retry with Conflict. A journal line only counts
 * once its newline is on disk: a torn last line (crash mid-append) is ignored on read and cut off
 * before the next append.
 */
import { randomBytes } from 'node:crypto';
import { access, link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import {
  GatewayError,
  MIGRATION_RUN_ID,
  newestRunFirst,
  type GatewayErrorKind,
  type MigrationJournalEntry,
  type MigrationRunSummary,
  type MigrationStore,
  type StoredMigrationRun,
} from '@hyperpod/core';

const RUN_ID = MIGRATION_RUN_ID;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const PLAN = 'plan.json';
const SUMMARY = 'summary.json';
const BACKUP = 'backup.json';
const JOURNAL = 'journal.ndjson';

/**
 * Where runs are kept unless told otherwise: `$KUBECTL_HYPERPOD_HOME/migrations`, else
 * `$XDG_STATE_HOME/kubectl-hyperpod/migrations` (XDG ignores a relative value), else
 * `~/.local/state/kubectl-hyperpod/migrations`.
 */
export function defaultMigrationRoot(
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  const own = env.KUBECTL_HYPERPOD_HOME;
  if (own) return path.resolve(own, 'migrations');
  const state = env.XDG_STATE_HOME;
  if (state && path.isAbsolute(state)) return path.join(state, 'kubectl-hyperpod', 'migrations');
  if (!home) {
    throw new GatewayError(
      'InvalidParameter',
      'no home directory to keep migration runs in; set KUBECTL_HYPERPOD_HOME to a private directory',
      'store',
      'locate runs',
    );
  }
  return path.join(home, '.local', 'state', 'kubectl-hyperpod', 'migrations');
}

export interface FileMigrationStoreOptions {
  /** The directory that holds one directory per run; defaultMigrationRoot() when undefined. */
  root?: string;
}

export class FileMigrationStore implements MigrationStore {
  readonly root: string;
  /** Appends to one run are chained, so the torn-line repair never races a sibling append. */
  private readonly appending = new Map<string, Promise<void>>();

  constructor(options: FileMigrationStoreOptions = {}) {
    this.root = path.resolve(options.root ?? defaultMigrationRoot());
  }

  location(runId: string): string {
    return this.dirOf(runId, 'locate run');
  }

  async create(
    runId: string,
    plan: unknown,
    summary: Omit<MigrationRunSummary, 'runId'>,
  ): Promise<void> {
    const op = 'create run';
    const dir = this.dirOf(runId, op);
    // The journal, not the caller, says what happened last.
    const { lastEvent: _lastEvent, updatedAt: _updatedAt, ...rest } = summary;
    const planText = serialize(plan, 'plan', op);
    const summaryText = serialize({ runId, ...rest }, 'summary', op);
    try {
      // Only the directories created here get 0700; an existing root keeps the user's modes.
      await mkdir(this.root, { recursive: true, mode: DIR_MODE });
    } catch (e) {
      throw fsError(e, op, `cannot create the migration root ${this.root}`);
    }
    try {
      await mkdir(dir, { mode: DIR_MODE });
    } catch (e) {
      if (code(e) === 'EEXIST') {
        throw new GatewayError(
          'Conflict',
          `migration run ${runId} already exists at ${dir}; a run is never overwritten, pick a new run id`,
          'store',
          op,
          'EEXIST',
        );
      }
      throw fsError(e, op, `cannot create ${dir}`);
    }
    await syncDir(this.root);
    try {
      await writeOnce(dir, PLAN, planText);
      await writeOnce(dir, SUMMARY, summaryText);
    } catch (e) {
      throw fsError(e, op, `cannot record migration run ${runId} in ${dir}`);
    }
    await syncDir(dir);
  }

  async writeBackup(runId: string, backup: unknown): Promise<void> {
    const op = 'write backup';
    const dir = this.dirOf(runId, op);
    const text = serialize(backup, 'backup', op);
    await this.requireRun(runId, dir, op);
    try {
      await writeOnce(dir, BACKUP, text);
    } catch (e) {
      if (code(e) === 'EEXIST') {
        throw new GatewayError(
          'Conflict',
          `migration run ${runId} already has a backup (${path.join(dir, BACKUP)}); a backup is never replaced`,
          'store',
          op,
          'EEXIST',
        );
      }
      throw fsError(e, op, `cannot write the backup of migration run ${runId} in ${dir}`);
    }
    await syncDir(dir);
  }

  async append(runId: string, entry: MigrationJournalEntry): Promise<void> {
    const op = 'append journal';
    const dir = this.dirOf(runId, op);
    // JSON.stringify escapes newlines inside strings, so one entry is exactly one line.
    const line = `${serialize(entry, 'journal entry', op, 0)}\n`;
    const previous = this.appending.get(runId) ?? Promise.resolve();
    const done = previous.then(() => this.appendNow(runId, dir, line, op));
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.appending.set(runId, settled);
    void settled.then(() => {
      if (this.appending.get(runId) === settled) this.appending.delete(runId);
    });
    return done;
  }

  async read(runId: string): Promise<StoredMigrationRun | undefined> {
    const op = 'read run';
    const dir = this.dirOf(runId, op);
    if (!(await this.exists(dir, op))) return undefined;
    const [plan, backup, journal] = await Promise.all([
      readJson(path.join(dir, PLAN), op),
      readOptional(path.join(dir, BACKUP), op),
      readOptional(path.join(dir, JOURNAL), op),
    ]);
    return {
      runId,
      plan,
      ...(backup !== undefined ? { backup: parseJson(backup, path.join(dir, BACKUP), op) } : {}),
      journal: parseJournal(journal ?? '', path.join(dir, JOURNAL), op),
    };
  }

  async list(filter: { clusterArn?: string } = {}): Promise<MigrationRunSummary[]> {
    const op = 'list runs';
    let names: string[];
    try {
      const entries = await readdir(this.root, { withFileTypes: true });
      names = entries.filter((d) => d.isDirectory() && RUN_ID.test(d.name)).map((d) => d.name);
    } catch (e) {
      if (code(e) === 'ENOENT') return [];
      throw fsError(e, op, `cannot list ${this.root}`);
    }
    const runs = await Promise.all(names.map((name) => this.summaryOf(name, op)));
    return runs
      .filter((r): r is MigrationRunSummary => r !== undefined)
      .filter((r) => filter.clusterArn === undefined || r.clusterArn === filter.clusterArn)
      .sort(newestRunFirst);
  }

  private async summaryOf(runId: string, op: string): Promise<MigrationRunSummary | undefined> {
    const dir = path.join(this.root, runId);
    const text = await readOptional(path.join(dir, SUMMARY), op);
    if (text === undefined) return undefined;
    const stored = parseJson(text, path.join(dir, SUMMARY), op) as MigrationRunSummary;
    const { lastEvent: _lastEvent, updatedAt: _updatedAt, ...summary } = stored;
    const journal = parseJournal(
      (await readOptional(path.join(dir, JOURNAL), op)) ?? '',
      path.join(dir, JOURNAL),
      op,
      true,
    );
    const last = journal[journal.length - 1];
    return { ...summary, runId, ...(last ? { lastEvent: last.type, updatedAt: last.at } : {}) };
  }

  private async appendNow(runId: string, dir: string, line: string, op: string): Promise<void> {
    await this.requireRun(runId, dir, op);
    const file = path.join(dir, JOURNAL);
    let created = false;
    try {
      const fh = await open(file, 'a+', FILE_MODE);
      try {
        const { size } = await fh.stat();
        created = size === 0;
        const end = await lastLineEnd(fh, size);
        // A line without its newline is what a crash mid-append leaves; it never counted.
        if (end < size) await fh.truncate(end);
        await fh.writeFile(line);
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      throw fsError(e, op, `cannot append to ${file}`);
    }
    if (created) await syncDir(dir);
  }

  private dirOf(runId: string, op: string): string {
    if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
      throw new GatewayError(
        'InvalidParameter',
        `invalid migration run id ${JSON.stringify(runId)}: expected lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters`,
        'store',
        op,
      );
    }
    return path.join(this.root, runId);
  }

  private async exists(dir: string, op: string): Promise<boolean> {
    try {
      await access(path.join(dir, SUMMARY));
      return true;
    } catch (e) {
      if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') return false;
      throw fsError(e, op, `cannot read ${dir}`);
    }
  }

  private async requireRun(runId: string, dir: string, op: string): Promise<void> {
    if (!(await this.exists(dir, op))) {
      throw new GatewayError(
        'NotFound',
        `no migration run ${runId} in ${this.root}`,
        'store',
        op,
        'ENOENT',
      );
    }
  }
}

/** Writes `name` in `dir` (0600) all or nothing; EEXIST when it exists. */
async function writeOnce(dir: string, name: string, text: string): Promise<void> {
  const target = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  await writeSynced(tmp, text);
  try {
    await link(tmp, target);
  } catch (e) {
    // Filesystems without hard links: fall back to an exclusive create of the final name.
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(code(e) ?? '')) throw e;
    await writeSynced(target, text);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

async function writeSynced(file: string, text: string): Promise<void> {
  const fh = await open(file, 'wx', FILE_MODE);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Makes a new directory entry durable; not every platform can open a directory, so best effort. */
async function syncDir(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows and some network filesystems refuse; the file contents are already fsynced.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/** The offset just past the last newline (0 when there is none), reading back from the end. */
async function lastLineEnd(fh: FileHandle, size: number): Promise<number> {
  const chunk = Buffer.alloc(Math.min(size, 64 * 1024));
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk.length);
    const { bytesRead } = await fh.read(chunk, 0, end - start, start);
    const i = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
    if (i >= 0) return start + i + 1;
    end = start;
  }
  return 0;
}

function serialize(value: unknown, what: string, op: string, indent = 2): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, undefined, indent);
  } catch (e) {
    throw new GatewayError(
      'InvalidParameter',
      `the ${what} is not JSON data: ${(e as Error).message}`,
      'store',
      op,
    );
  }
  if (text === undefined) {
    throw new GatewayError('InvalidParameter', `the ${what} is not JSON data`, 'store', op);
  }
  return indent ? `${text}\n` : text;
}

async function readOptional(file: string, op: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined;
    throw fsError(e, op, `cannot read ${file}`);
  }
}

async function readJson(file: string, op: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw fsError(e, op, `cannot read ${file}`);
  }
  return parseJson(text, file, op);
}

function parseJson(text: string, file: string, op: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new GatewayError(
      'Unknown',
      `${file} is not valid JSON (${(e as Error).message}); it was changed outside kubectl-hyperpod`,
      'store',
      op,
    );
  }
}

/**
 * Every newline-terminated line is an entry; what follows the last newline is a torn append and is
 * ignored. With `lastOnly`, only the last entry is parsed (what list() needs).
 */
function parseJournal(
  text: string,
  file: string,
  op: string,
  lastOnly = false,
): MigrationJournalEntry[] {
  const lines = text.split('\n').slice(0, -1);
  const entries: MigrationJournalEntry[] = [];
  for (let i = lastOnly ? lines.length - 1 : 0; i >= 0 && i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    try {
      entries.push(JSON.parse(line) as MigrationJournalEntry);
    } catch (e) {
      throw new GatewayError(
        'Unknown',
        `${file} line ${i + 1} is not a journal entry (${(e as Error).message}); it was changed outside kubectl-hyperpod`,
        'store',
        op,
      );
    }
  }
  return entries;
}

const FS_KINDS: Record<string, GatewayErrorKind> = {
  ENOENT: 'NotFound',
  EEXIST: 'Conflict',
  EACCES: 'AccessDenied',
  EPERM: 'AccessDenied',
  EROFS: 'AccessDenied',
  EBUSY: 'InUse',
  ENOTDIR: 'InvalidParameter',
  EISDIR: 'InvalidParameter',
  ENAMETOOLONG: 'InvalidParameter',
  ENOSPC: 'Unavailable',
  EDQUOT: 'Unavailable',
  EIO: 'Unavailable',
  EMFILE: 'Unavailable',
  ENFILE: 'Unavailable',
  EAGAIN: 'Unavailable',
};

function fsError(e: unknown, op: string, what: string): GatewayError {
  if (e instanceof GatewayError) return e;
  const c = code(e);
  const kind = (c && FS_KINDS[c]) || 'Unknown';
  return new GatewayError(kind, `${what}: ${(e as Error).message ?? String(e)}`, 'store', op, c);
}

function code(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | undefined)?.code;
  return typeof c === 'string' ? c : undefined;
}
