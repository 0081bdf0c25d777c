/**
 * How the real-chart cases run a migration: the test deps with short waits, the process that comes
 * after a crash, and a dead process's silence.
 */
import type { MigrationGateways, MigrationStore } from '@hyperpod/core';
import { Crash } from '../migrate/crash';
import { testDeps } from '../migrate/support';

export const deps = (
  g: MigrationGateways,
  store: MigrationStore,
  extra: { now?: () => Date } = {},
) => testDeps(g, store, { wait: { pollMs: 5, timeoutMs: 20_000, degradedGraceMs: 100 }, ...extra });

/**
 * The process that comes after a crash. The dead one never released its migration lease, and a
 * live holder's lease is never taken over (ADR 0007), so the next process runs once the lease has
 * lapsed: its clock is a lease duration (60 s) and a second ahead instead of the test sleeping.
 */
export const afterCrash = (g: MigrationGateways, store: MigrationStore) =>
  deps(g, store, { now: () => new Date(Date.now() + 61_000) });

/** A dead process reports nothing: whatever the run returns or throws after the crash is ignored. */
export const die = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => {
      if (!(e instanceof Crash)) throw e;
    },
  );
