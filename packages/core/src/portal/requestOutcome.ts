/**
 * What the portal keeps and shows of an upgrade's outcome: versions, hops, issue codes, the
 * rollback and the event messages; never configuration values (they may hold secrets) or the
 * captured add-on (the backend keeps that server side for recovery).
 */
import type { UpgradeOutcome } from '../upgrade/executeUpgrade';
import type { UpgradeRequestOutcome } from './contract';

export function upgradeRequestOutcome(o: UpgradeOutcome): UpgradeRequestOutcome {
  return {
    status: o.status,
    message: o.message,
    from: o.from,
    ...(o.to !== undefined ? { to: o.to } : {}),
    hopsDone: [...o.hopsDone],
    ...(o.failedHop !== undefined ? { failedHop: o.failedHop } : {}),
    issueCodes: [...o.issueCodes],
    ...(o.rollback ? { rollback: { ...o.rollback } } : {}),
    events: o.events.map((e) => ({
      at: e.at,
      type: e.type,
      message: e.message,
      ...(e.hop !== undefined ? { hop: e.hop } : {}),
      ...(e.status !== undefined ? { status: e.status } : {}),
    })),
  };
}
