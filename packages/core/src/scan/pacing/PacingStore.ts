/**
 * Where pacing is remembered: across runs (the CLI's cache directory) and between processes (the
 * backend replicas' shared cache). One record per scope (account and region): the learned state
 * and the processes pacing that scope now, each with when it was last seen.
 */
import type { PacingState } from './PacingState';

export interface SharedPacing {
  state: PacingState;
  /**
   * Process id → last seen (ms since epoch), or minus the time it left. The scope's rate is split
   * between the members seen within the last few seconds that have not left since.
   */
  members: Record<string, number>;
}

export interface PacingStore {
  read(scope: string): Promise<SharedPacing | undefined>;
  write(scope: string, value: SharedPacing): Promise<void>;
}

/** A store in this process's memory: tests, and processes that share nothing. */
export class InMemoryPacingStore implements PacingStore {
  private readonly values = new Map<string, string>();
  reads = 0;
  writes = 0;

  async read(scope: string): Promise<SharedPacing | undefined> {
    this.reads++;
    const v = this.values.get(scope);
    // A copy, as a real store returns: no process shares objects with another.
    return v === undefined ? undefined : (JSON.parse(v) as SharedPacing);
  }

  async write(scope: string, value: SharedPacing): Promise<void> {
    this.writes++;
    this.values.set(scope, JSON.stringify(value));
  }
}
