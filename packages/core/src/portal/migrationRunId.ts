/**
 * Names of migration runs that nobody can guess: a run id is also the handle for reading a run and
 * rolling it back, so it carries 128 random bits (base36, 25 characters) after a readable
 * `<cluster>-<yyyymmdd-hhmmss>` prefix. The core has no random source of its own: the face passes
 * 16 random bytes as hex (Node's `randomBytes(16)`, or a UUID's 32 hex digits).
 */
import { MIGRATION_RUN_ID } from '../ports/MigrationStore';

/** Hex digits of randomness a run id needs (≥ 122 bits, like a v4 UUID). */
export const RUN_ID_RANDOM_HEX = 32;
const RANDOM_CHARS = 25; // 36^25 > 2^128

export function formatMigrationRunId(clusterName: string, now: Date, randomHex: string): string {
  const hex = randomHex.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length < RUN_ID_RANDOM_HEX)
    throw new Error(
      `a migration run id needs ${RUN_ID_RANDOM_HEX} random hex digits, got ${hex.length}`,
    );
  const random = BigInt(`0x${hex.slice(0, RUN_ID_RANDOM_HEX)}`)
    .toString(36)
    .padStart(RANDOM_CHARS, '0');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const suffix = `-${stamp}-${random}`;
  const base =
    clusterName
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 63 - suffix.length)
      .replace(/-+$/, '') || 'run';
  const id = `${base}${suffix}`;
  // The store, Kubernetes labels and URLs all take this shape; never hand out another.
  if (!MIGRATION_RUN_ID.test(id)) throw new Error(`not a migration run id: ${id}`);
  return id;
}
