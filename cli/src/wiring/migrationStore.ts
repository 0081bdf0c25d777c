import type { MigrationStore } from '@hyperpod/core';
import { coreNode } from './loadModules';

/** Where migration runs (plan, backup, journal) are kept: `--backup-dir`, else the default root. */
export async function migrationStore(
  root: string | undefined,
): Promise<MigrationStore & { readonly root: string }> {
  const { FileMigrationStore } = await coreNode();
  return new FileMigrationStore(root === undefined ? {} : { root });
}
