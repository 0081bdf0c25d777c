/**
 * The packages behind the wiring, loaded on first use: the commands import the wiring statically,
 * and this keeps the adapters (and through them the SDKs) out of `--help` and of commands that
 * never reach a cluster.
 */
export type CoreNode = typeof import('@hyperpod/core-node');
export type Core = typeof import('@hyperpod/core');

export const coreNode = (): Promise<CoreNode> => import('@hyperpod/core-node');
export const core = (): Promise<Core> => import('@hyperpod/core');
