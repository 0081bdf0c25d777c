/**
 * What the portal keeps and shows of an upgrade's outcome: versions, hops, issue codes, the
 * rollback and the event messages; never configuration values (they may hold secrets) or the
 * captured add-on (the backend keeps that server side for recovery). Messages may quote API errors
 * that quote values: secrets in them are redacted.
 */
import { redactText } from '../helm/redactValues';
import type { UpgradeOutcome } from '../upgrade/UpgradeOutcome';
import type { UpgradeRequestOutcome } from './contract';

export function upgradeRequestOutcome(o: UpgradeOutcome): UpgradeRequestOutcome {
  return {
    status: o.status,
    message: redactText(o.message),
    from: o.from,
    ...(o.to !== undefined ? { to: o.to } : {}),
    hopsDone: [...o.hopsDone],
    ...(o.failedHop !== undefined ? { failedHop: o.failedHop } : {}),
    issueCodes: [...o.issueCodes],
    ...(o.rollback ? { rollback: { ...o.rollback } } : {}),
    events: o.events.map((e) => ({
      at: e.at,
      type: e.type,
      message: redactText(e.message),
      ...(e.hop !== undefined ? { hop: e.hop } : {}),
      ...(e.status !== undefined ? { status: e.status } : {}),
    })),
  };
}
