/** Who runs a migration or upgrade, as its journal and its lock name them. */
import { hostname, userInfo } from 'node:os';

/** Who runs it, for the lock and the journal. */
export function actor(): string {
  let user = process.env.USER ?? 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container with an arbitrary uid): the environment's name will do.
  }
  return `${user}@${hostname()}`;
}

/**
 * This process, as a lock names it: `user@host/pid-4242` (the lock adds a random part). A lease
 * names the process that holds it, never the run: a second process is refused while this one
 * lives, even a `--resume` of the same run.
 */
export function lockHolder(): string {
  return `${actor()}/pid-${process.pid}`;
}
