/**
 * Idempotency keys on POSTs: the first request with a key runs and its answer is kept; a retry
 * with the same key and the same request gets that answer again without running twice; the same
 * key with a different request is refused. Keys are per caller and kept for a day.
 */
import { createHash } from 'node:crypto';
import type { Knex } from 'knex';

const TABLE = 'hyperpod_idempotency_keys';
const KEEP_MS = 24 * 60 * 60_000;

export type IdempotencyBegin =
  | { kind: 'new' }
  | { kind: 'replay'; status: number; body: unknown }
  | { kind: 'mismatch' }
  | { kind: 'in-progress' };

export function fingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${JSON.stringify(body ?? null)}`)
    .digest('hex');
}

export class IdempotencyStore {
  constructor(
    private readonly db: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  async begin(actor: string, key: string, print: string): Promise<IdempotencyBegin> {
    await this.db(TABLE)
      .where('created_at', '<', this.now() - KEEP_MS)
      .delete();
    try {
      await this.db(TABLE).insert({ actor, key, fingerprint: print, created_at: this.now() });
      return { kind: 'new' };
    } catch {
      const row = (await this.db(TABLE).where({ actor, key }).first()) as
        { fingerprint: string; status: number | null; body: string | null } | undefined;
      if (!row) return this.begin(actor, key, print);
      if (row.fingerprint !== print) return { kind: 'mismatch' };
      if (row.status === null) return { kind: 'in-progress' };
      return {
        kind: 'replay',
        status: Number(row.status),
        body: row.body ? JSON.parse(row.body) : null,
      };
    }
  }

  async complete(actor: string, key: string, status: number, body: unknown): Promise<void> {
    await this.db(TABLE)
      .where({ actor, key })
      .update({ status, body: JSON.stringify(body) });
  }

  /** The request failed before it changed anything: the key may be used again. */
  async abandon(actor: string, key: string): Promise<void> {
    await this.db(TABLE).where({ actor, key }).whereNull('status').delete();
  }
}
