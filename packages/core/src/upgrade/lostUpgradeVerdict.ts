/**
 * ADR 0005's recovery of an upgrade whose executor stopped reporting (the replica died): once the
 * add-on has settled, what it shows decides the request. ACTIVE at the target: the upgrade
 * finished. ACTIVE elsewhere (not started, or stopped between hops) and runs left: back to
 * approved, to run again from there. Anything else, or no runs left: a human looks at it. Never
 * left running. The backend polls (settledAddon) and stores the transition.
 */
import { isAddonInFlight } from '../addons/addonInFlight';
import type { EksAddon } from '../ports/EksGateway';
import { sleep } from '../scan/timers';

/** Runs of one request before a lost executor sends it to a human instead of running it again. */
export const MAX_UPGRADE_ATTEMPTS = 2;

export interface LostUpgradeVerdict {
  to: 'succeeded' | 'approved' | 'needs-attention';
  note: string;
}

export function lostUpgradeVerdict(input: {
  request: { addonName: string; fromVersion: string; targetVersion: string; attempts: number };
  /** The add-on as it was before the run (captured by the executor), if known. */
  capturedVersion?: string;
  /** The add-on once settled; undefined when it is not installed. */
  addon: Pick<EksAddon, 'status' | 'addonVersion'> | undefined;
  /** Why the request is being recovered, first words of the note. */
  lost: string;
}): LostUpgradeVerdict {
  const { request, addon, lost } = input;
  const at = addon ? `${addon.status} at ${addon.addonVersion}` : 'not installed';
  const before = input.capturedVersion ?? request.fromVersion;
  if (addon?.status === 'ACTIVE' && addon.addonVersion === request.targetVersion) {
    return {
      to: 'succeeded',
      note: `${lost}; ${request.addonName} is ${at}: the upgrade finished`,
    };
  }
  if (addon?.status === 'ACTIVE' && request.attempts < MAX_UPGRADE_ATTEMPTS) {
    const where =
      addon.addonVersion === before
        ? 'as before the upgrade'
        : `between ${before} and ${request.targetVersion}`;
    return {
      to: 'approved',
      note: `${lost}; ${request.addonName} is ${at}, ${where}: it will run again from there`,
    };
  }
  return {
    to: 'needs-attention',
    note: `${lost}; ${request.addonName} is ${at} (it was ${before}, the target ${request.targetVersion}): check it, then request again`,
  };
}

/**
 * The add-on once EKS has stopped changing it (or when `timeoutMs` has passed, or `stopped()`
 * says to give up: then undefined is not returned, the last answer is).
 */
export async function settledAddon(
  describe: () => Promise<EksAddon | undefined>,
  opts: {
    timeoutMs: number;
    pollMs: number;
    now: () => number;
    stopped?: () => boolean;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<{ addon: EksAddon | undefined; stopped: boolean }> {
  const wait = opts.sleep ?? sleep;
  const started = opts.now();
  for (;;) {
    const addon = await describe();
    if (!addon || !isAddonInFlight(addon.status)) return { addon, stopped: false };
    if (opts.now() - started > opts.timeoutMs) return { addon, stopped: false };
    await wait(opts.pollMs);
    if (opts.stopped?.()) return { addon, stopped: true };
  }
}
