import { randomBytes } from 'node:crypto';
import { formatMigrationRunId, RUN_ID_RANDOM_HEX } from '@hyperpod/core';

/**
 * A fresh run id, `<cluster>-<yyyymmdd-hhmmss>-<128 random bits>` (core's formatMigrationRunId,
 * as the backend makes them): a run id is also the handle to read or roll back a run.
 */
export function newRunId(
  clusterName: string,
  now: Date = new Date(),
  randomHex: string = randomBytes(RUN_ID_RANDOM_HEX / 2).toString('hex'),
): string {
  return formatMigrationRunId(clusterName, now, randomHex);
}
