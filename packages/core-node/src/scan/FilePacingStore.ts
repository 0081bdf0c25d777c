/**
 * The CLI's memory of each account and region's learned rate: one JSON file in its cache
 * directory, read at every sync so two runs at once see each other, written whole through a
 * rename so a reader never sees half a file. A missing or unreadable file is an empty memory.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parsePacingState, type PacingStore, type SharedPacing } from '@hyperpod/core';

export const PACING_FILE = 'pacing.json';
const SCHEMA_VERSION = 1;

interface PacingFile {
  schemaVersion: number;
  scopes: Record<string, SharedPacing>;
}

export class FilePacingStore implements PacingStore {
  readonly path: string;
  private writes = 0;

  constructor(cacheDir: string) {
    this.path = join(cacheDir, PACING_FILE);
  }

  async read(scope: string): Promise<SharedPacing | undefined> {
    return (await this.load()).scopes[scope];
  }

  async write(scope: string, value: SharedPacing): Promise<void> {
    const file = await this.load();
    file.scopes[scope] = value;
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.${this.writes++}.tmp`;
    await writeFile(tmp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, this.path);
  }

  private async load(): Promise<PacingFile> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(this.path, 'utf8'));
    } catch {
      return { schemaVersion: SCHEMA_VERSION, scopes: {} };
    }
    const scopes: Record<string, SharedPacing> = {};
    const given = (raw as { scopes?: unknown })?.scopes;
    if (
      (raw as { schemaVersion?: unknown })?.schemaVersion === SCHEMA_VERSION &&
      given &&
      typeof given === 'object'
    ) {
      for (const [scope, v] of Object.entries(given as Record<string, unknown>)) {
        const state = parsePacingState((v as { state?: unknown })?.state);
        const members = (v as { members?: unknown })?.members;
        if (state)
          scopes[scope] = {
            state,
            members:
              members && typeof members === 'object' ? (members as Record<string, number>) : {},
          };
      }
    }
    return { schemaVersion: SCHEMA_VERSION, scopes };
  }
}
