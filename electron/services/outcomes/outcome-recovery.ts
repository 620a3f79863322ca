/**
 * At every start, the cache's outcomes are checked against the outcome journal: what the cache
 * lost (a file deleted or damaged and replaced, a log lost after a kill) is restored to the
 * outbox, to be sent once its referral has synced; a settling the cache lost (an undo, a
 * delivery) is applied again; what the journal lacks (signed before it existed) is added to it.
 * What was restored, and journal records that could not be read, are said at every start until
 * the consultant has read it (kept outside the encrypted store: counts only, nothing about
 * patients).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { formatNhsNumber } from '../../../shared/domain/nhs-number';
import { STATES_NOT_COUNTING } from '../../../shared/outcome/outcome';
import { writeFileAtomic } from '../cache/write-atomic';
import { sqlStates } from '../db/referral-sql';
import { durableTransaction, type Db } from '../db/connection';
import type { NewOutcome, OutcomeStore } from '../db/outcome-store';
import { isSettled, type OutcomeJournal, type SettledState } from './outcome-journal';

export const RECOVERIES_FILE = 'outcome-recoveries.json';

/** Shown on each restored outcome until it is sent. */
export const RESTORED_PROBLEM = "Restored from the desk's outcome journal after the cache lost it: it goes once its referral has synced.";
/** With part of the journal unreadable, an undo of this outcome may be among what was lost: the consultant decides. */
export const RESTORED_UNSURE_PROBLEM =
  "Restored from the desk's outcome journal after the cache lost it, but part of the journal could not be read, so whether you undid it is not known. Amend and sign it again if it should still go, or mark it handled elsewhere.";

const recoverySchema = z.object({ restored: z.number().int().min(0), unreadable: z.number().int().min(0), at: z.iso.datetime() });
export type OutcomeRecovery = z.infer<typeof recoverySchema>;

export function reconcileOutcomes(dataDir: string, db: Db, outcomes: OutcomeStore, journal: OutcomeJournal, now = new Date()): OutcomeRecovery {
  const { entries, unreadable } = journal.read();
  let restored = 0;
  const missingFromJournal: NewOutcome[] = [];
  /** Settlings the journal missed (its write failed after the cache's commit): added, or a later loss of the cache would send an undone outcome. */
  const settledMissing: { outcomeId: string; state: SettledState }[] = [];
  durableTransaction(db, () => {
    for (const [outcomeId, entry] of entries) {
      const held = outcomes.get(outcomeId);
      if (!held) {
        if (entry.settled !== null) continue; // settled: nothing is owed
        outcomes.sign(entry.outcome);
        outcomes.setState(outcomeId, unreadable > 0 ? { state: 'held', problem: RESTORED_UNSURE_PROBLEM } : { state: 'queued', problem: RESTORED_PROBLEM });
        restored += 1;
      } else if (entry.settled !== null && !isSettled(held.state)) {
        // The cache lost how it was settled (an undo, a delivery): the journal says it.
        outcomes.setState(outcomeId, { state: entry.settled, ...(entry.settled === 'sent' ? { sentAt: now.toISOString() } : {}) });
      } else if (entry.settled === null && isSettled(held.state)) {
        settledMissing.push({ outcomeId, state: held.state });
      }
    }
    for (const outcome of outcomes.list()) {
      if (!entries.has(outcome.outcomeId) && !isSettled(outcome.state)) {
        const { outcomeId, referralId, kind, draft, signedAt, signedBy, targetDate, undoUntil } = outcome;
        missingFromJournal.push({ outcomeId, referralId, kind, draft, signedAt, signedBy, targetDate, undoUntil });
      }
    }
  });
  for (const outcome of missingFromJournal) journal.signed(outcome);
  for (const { outcomeId, state } of settledMissing) journal.settled(outcomeId, state, now);
  journal.compact();
  const recovery = { restored, unreadable, at: now.toISOString() };
  if (restored > 0 || unreadable > 0) recordRecovery(dataDir, recovery);
  return recovery;
}

export function pendingRecoveries(dataDir: string): OutcomeRecovery[] {
  const file = join(dataDir, RECOVERIES_FILE);
  if (!existsSync(file)) return [];
  try {
    return z.array(recoverySchema).parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return [{ restored: 0, unreadable: 1, at: new Date(0).toISOString() }];
  }
}

function recordRecovery(dataDir: string, recovery: OutcomeRecovery): void {
  writeFileAtomic(join(dataDir, RECOVERIES_FILE), JSON.stringify([...pendingRecoveries(dataDir), recovery]));
}

export function acknowledgeRecoveries(dataDir: string): void {
  rmSync(join(dataDir, RECOVERIES_FILE), { force: true });
}

/**
 * The referrals this consultant was reviewing (their review task in progress, owned by them, as
 * the server says) for which the desk holds no outcome: where an outcome lost with an unreadable
 * journal record may have been. The server keeps the claim, so the list survives what the disk lost.
 */
export function createReviewsWithoutOutcome(db: Db): (reviewerId: string | null) => string[] {
  const query = db.prepare(`SELECT r.id, p.name, p.nhs_number AS nhs FROM referral r LEFT JOIN patient p ON p.id = r.patient_id
    WHERE EXISTS (SELECT 1 FROM review_task t WHERE t.referral_id = r.id AND t.status = 'in-progress' AND t.owner_id = ?)
      AND NOT EXISTS (SELECT 1 FROM outcome o JOIN outbox b ON b.outcome_id = o.id WHERE o.referral_id = r.id AND b.state NOT IN ${sqlStates(STATES_NOT_COUNTING)})
    ORDER BY p.name, r.id`);
  return (reviewerId) => {
    if (!reviewerId) return [];
    return (query.all(reviewerId) as { id: string; name: string | null; nhs: string | null }[]).map((row) =>
      row.name && row.nhs ? `${row.name} (NHS ${formatNhsNumber(row.nhs)})` : `referral ${row.id}`);
  };
}

/**
 * What to tell the consultant, in plain words. `reviewing`: the referrals they were reviewing
 * with no outcome on the desk, named when journal records could not be read.
 */
export function recoveryMessage(recoveries: readonly OutcomeRecovery[], reviewing: readonly string[] = []): string {
  const restored = recoveries.reduce((n, r) => n + r.restored, 0);
  const unreadable = recoveries.reduce((n, r) => n + r.unreadable, 0);
  const parts: string[] = [];
  if (restored > 0) {
    parts.push(`The desk's cache had lost ${restored} signed outcome${restored === 1 ? '' : 's'} not yet sent. ${restored === 1 ? 'It was' : 'They were'} restored from the desk's outcome journal and will be sent once ${restored === 1 ? 'its referral has' : 'their referrals have'} synced.`);
  }
  if (unreadable > 0) {
    parts.push(`${unreadable} record${unreadable === 1 ? '' : 's'} of the outcome journal could not be read: an outcome signed recently may NOT have reached the GP. Check the outcomes you signed in your last session.`);
    if (reviewing.length > 0) parts.push(`You were reviewing these referrals and the desk holds no outcome for them: ${reviewing.join('; ')}.`);
  }
  return parts.join(' ');
}

/** The journal could not be read or written: what that means for the consultant. */
export function journalFailureMessage(err: unknown): string {
  const why = err instanceof Error ? err.message : String(err);
  return `The desk could not read or write its outcome journal (${why.slice(0, 160)}): what you sign is kept in the cache and sent as usual, but would not survive damage to the cache. Tell IT (is the disk full?).`;
}
