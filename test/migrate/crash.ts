/**
 * Process death, simulated: gateways and a store that work until the N-th mutating call has
 * gone through, then fail every call after it (the journal entry for that call is never written),
 * as when the process is killed right after a write reached the API.
 */
import type { MigrationGateways, MigrationStore } from '@hyperpod/core';

export class Crash extends Error {
  constructor(readonly at: number) {
    super(`process died after mutating call #${at}`);
    this.name = 'Crash';
  }
}

const MUTATING: Record<keyof MigrationGateways, readonly string[]> = {
  kube: ['create', 'replace', 'patch', 'delete'],
  eks: ['createAddon', 'updateAddon', 'deleteAddon'],
  iam: [
    'createRole',
    'deleteRole',
    'attachRolePolicy',
    'detachRolePolicy',
    'putRolePolicy',
    'deleteRolePolicy',
    'tagRole',
    'untagRole',
  ],
  s3: ['putObjectTagging', 'deleteObjectTagging'],
  elbv2: ['addTags', 'removeTags'],
  acm: ['addTags', 'removeTags'],
  // Who the caller is: read by the permission preflight, never a change.
  sts: [],
};

export interface Crasher {
  gateways: MigrationGateways;
  store: MigrationStore;
  /** Mutating calls that went through, in order (`kube.create Lease kube-system/...`). */
  calls: string[];
  crashed: boolean;
}

/** `at` = Infinity never crashes (counts calls). */
export function crasher(g: MigrationGateways, store: MigrationStore, at: number): Crasher {
  const state: Crasher = { gateways: {} as MigrationGateways, store, calls: [], crashed: false };
  const wrap = <T extends object>(service: string, target: T, mutating: readonly string[]): T =>
    new Proxy(target, {
      get(t, prop, receiver) {
        const v = Reflect.get(t, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return async (...args: unknown[]) => {
          if (state.crashed) throw new Crash(at);
          const result = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
          // A lease renewal is no crash point of its own: dying right after it leaves the cluster
          // as dying right after the call before it (only the Lease's renewTime differs, and the
          // run after a death waits for the lease to lapse either way).
          const renewal =
            service === 'kube' &&
            prop === 'replace' &&
            (args[0] as { kind?: string } | undefined)?.kind === 'Lease';
          if (mutating.includes(String(prop)) && !renewal) {
            state.calls.push(`${service}.${String(prop)} ${label(args[0])}`);
            if (state.calls.length >= at) {
              state.crashed = true;
              throw new Crash(at);
            }
          }
          return result;
        };
      },
    });
  for (const [k, methods] of Object.entries(MUTATING) as [
    keyof MigrationGateways,
    readonly string[],
  ][]) {
    const gw = g[k];
    if (gw) (state.gateways as unknown as Record<string, unknown>)[k] = wrap(k, gw, methods);
  }
  // The store dies with the process; its writes are not AWS/Kubernetes calls and are not counted.
  const storeProxy = new Proxy(store, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver) as unknown;
      if (typeof v !== 'function') return v;
      if (prop === 'location') return v.bind(t);
      return (...args: unknown[]) => {
        if (state.crashed) return Promise.reject(new Crash(at));
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
  state.store = storeProxy;
  return state;
}

function label(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object') {
    const o = arg as {
      kind?: string;
      name?: string;
      metadata?: { name?: string };
      addonName?: string;
      roleName?: string;
    };
    return [o.kind, o.metadata?.name ?? o.name ?? o.addonName ?? o.roleName]
      .filter(Boolean)
      .join(' ');
  }
  return '';
}
