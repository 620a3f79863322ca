/**
 * What the desk says above the queue: warnings about what it cannot do (a server's limits, a
 * clock far off, a plain-text key store, bank holidays running out) and alerts about what
 * happened to the consultant's work (a cache replaced, outcomes restored from the journal, a
 * journal that cannot be written). Lasting alerts are kept outside the encrypted store and shown
 * at every start until read (acknowledge).
 */
import type { DeskNotice } from '../../shared/ipc/contract';
import type { AuditTrail } from './audit/audit-trail';
import { acknowledgeCacheResets, lostCacheMessage, pendingCacheResets } from './cache/cache-resets';
import { acknowledgeRecoveries, pendingRecoveries, recoveryMessage, type OutcomeRecovery } from './outcomes/outcome-recovery';

/** What this session knows; each is said while it is set. */
export interface SessionWarnings {
  serverLimits: readonly string[];
  clockSkew: string | null;
  keyStore: string | null;
  holidays: string | null;
  journalFailure: string | null;
  /** The referrals the consultant was reviewing with no outcome on the desk: asked only when an outcome may have been lost. */
  reviewingWithoutOutcome: () => readonly string[];
}

export function deskNotices(dataDir: string, said: SessionWarnings): DeskNotice[] {
  const warning = (id: DeskNotice['id'], message: string | null): DeskNotice[] => (message ? [{ id, level: 'warning', message, lasting: false }] : []);
  const recoveries = pendingRecoveries(dataDir);
  return [
    ...warning('server-limits', said.serverLimits.length > 0 ? said.serverLimits.join(' ') : null),
    ...warning('clock-skew', said.clockSkew),
    ...warning('key-store-warning', said.keyStore),
    ...warning('bank-holidays-ending', said.holidays),
    ...pendingCacheResets(dataDir).map((reset): DeskNotice => ({ id: 'cache-reset', level: 'alert', message: lostCacheMessage(reset), lasting: true })),
    ...(recoveries.length > 0 ? [{ id: 'outcomes-restored', level: 'alert', message: recoveryMessage(recoveries, mayHaveLost(recoveries) ? said.reviewingWithoutOutcome() : []), lasting: true } satisfies DeskNotice] : []),
    ...(said.journalFailure ? [{ id: 'outcome-journal', level: 'alert', message: said.journalFailure, lasting: false } satisfies DeskNotice] : []),
  ];
}

/** Journal records could not be read: an outcome may be lost. */
export const mayHaveLost = (recoveries: readonly OutcomeRecovery[]): boolean => recoveries.some((r) => r.unreadable > 0);

/** The consultant has read a lasting alert: it is not shown again, and the reading is audited. */
export function acknowledgeNotice(dataDir: string, id: DeskNotice['id'], audit: Pick<AuditTrail, 'record'>, actor: string): void {
  if (id === 'cache-reset' && pendingCacheResets(dataDir).length > 0) {
    acknowledgeCacheResets(dataDir);
    audit.record(actor, 'notice.acknowledged', 'cache-reset', 'read the alert about the replaced cache');
  }
  if (id === 'outcomes-restored' && pendingRecoveries(dataDir).length > 0) {
    acknowledgeRecoveries(dataDir);
    audit.record(actor, 'notice.acknowledged', 'outcomes-restored', 'read the alert about outcomes restored from the journal');
  }
}
