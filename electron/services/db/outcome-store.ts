/**
 * Signed outcomes and their outbox: the one part of the database that exists only here until it
 * reaches the server. Signing writes both rows in one transaction at synchronous=FULL, so a
 * signed outcome survives a crash or a power cut the moment signing returns.
 */
import { outcomeDraftSchema, STATES_NOT_COUNTING, type OutcomeState, type SignedOutcome } from '../../../shared/outcome/outcome';
import { durableTransaction, type Db } from './connection';
import { sqlStates } from './referral-sql';

export interface NewOutcome {
  outcomeId: string;
  referralId: string;
  kind: SignedOutcome['kind'];
  draft: SignedOutcome['draft'];
  signedAt: string;
  signedBy: string;
  targetDate: string | null;
  undoUntil: string;
}

export interface OutcomeStore {
  /** Writes outcome and outbox entry together, durably; the first attempt waits for the undo window. */
  sign(outcome: NewOutcome): void;
  get(outcomeId: string): SignedOutcome | undefined;
  /** The referral's outcome that still counts (not undone), if any. */
  current(referralId: string): SignedOutcome | undefined;
  list(): SignedOutcome[];
  /** Outcomes whose next attempt is due, oldest signature first ("sending" ones were cut short). */
  due(now: string): SignedOutcome[];
  /** The earliest time anything is due, or null when nothing waits. */
  nextDue(): string | null;
  /** Signed outcomes still on their way to the GP: queued, sending or failed (held ones go nowhere by design). */
  unsentCount(): number;
  /** Failed outcomes become due now (the server is answering again). */
  hurryFailed(now: string): void;
  /** How many times sending has been tried. */
  attempts(outcomeId: string): number;
  setState(outcomeId: string, change: { state: OutcomeState; problem?: string | null; nextAttemptAt?: string; sentAt?: string; attempted?: boolean }): void;
}

const SELECT = `SELECT o.id AS outcomeId, o.referral_id AS referralId, o.kind, o.draft, o.signed_at AS signedAt, o.signed_by AS signedBy,
    o.target_date AS targetDate, o.undo_until AS undoUntil, b.state, b.problem, b.sent_at AS sentAt
  FROM outcome o JOIN outbox b ON b.outcome_id = o.id`;

interface Row extends Omit<SignedOutcome, 'draft'> {
  draft: string;
}

const fromRow = (row: Row): SignedOutcome => ({ ...row, draft: outcomeDraftSchema.parse(JSON.parse(row.draft)) });

export function createOutcomeStore(db: Db): OutcomeStore {
  const insertOutcome = db.prepare(`INSERT INTO outcome (id, referral_id, kind, draft, signed_at, signed_by, target_date, undo_until)
    VALUES (@outcomeId, @referralId, @kind, @draft, @signedAt, @signedBy, @targetDate, @undoUntil)`);
  const insertOutbox = db.prepare(`INSERT INTO outbox (outcome_id, state, next_attempt_at) VALUES (?, 'queued', ?)`);
  const byId = db.prepare(`${SELECT} WHERE o.id = ?`);
  const forReferral = db.prepare(`${SELECT} WHERE o.referral_id = ? AND b.state NOT IN ${sqlStates(STATES_NOT_COUNTING)} ORDER BY o.signed_at DESC LIMIT 1`);
  const all = db.prepare(`${SELECT} ORDER BY o.signed_at DESC`);
  const dueNow = db.prepare(`${SELECT} WHERE b.state IN ('queued', 'sending', 'failed') AND b.next_attempt_at <= ? ORDER BY o.signed_at`);
  const unsent = db.prepare(`SELECT count(*) AS n FROM outbox WHERE state IN ('queued', 'sending', 'failed')`);
  const earliest = db.prepare(`SELECT min(next_attempt_at) AS at FROM outbox WHERE state IN ('queued', 'sending', 'failed')`);
  const hurry = db.prepare(`UPDATE outbox SET next_attempt_at = ? WHERE state = 'failed' AND next_attempt_at > ?`);
  const attemptCount = db.prepare('SELECT attempts FROM outbox WHERE outcome_id = ?');
  const update = db.prepare(`UPDATE outbox SET state = @state, problem = @problem, next_attempt_at = coalesce(@nextAttemptAt, next_attempt_at),
    sent_at = coalesce(@sentAt, sent_at), attempts = attempts + @attempted WHERE outcome_id = @outcomeId`);

  return {
    sign: (outcome) =>
      durableTransaction(db, () => {
        insertOutcome.run({ ...outcome, draft: JSON.stringify(outcome.draft) });
        insertOutbox.run(outcome.outcomeId, outcome.undoUntil);
      }),
    get: (id) => {
      const row = byId.get(id) as Row | undefined;
      return row && fromRow(row);
    },
    current: (referralId) => {
      const row = forReferral.get(referralId) as Row | undefined;
      return row && fromRow(row);
    },
    list: () => (all.all() as Row[]).map(fromRow),
    due: (now) => (dueNow.all(now) as Row[]).map(fromRow),
    nextDue: () => (earliest.get() as { at: string | null }).at,
    unsentCount: () => (unsent.get() as { n: number }).n,
    hurryFailed: (now) => void hurry.run(now, now),
    attempts: (id) => (attemptCount.get(id) as { attempts: number } | undefined)?.attempts ?? 0,
    setState: (outcomeId, change) =>
      durableTransaction(db, () =>
        update.run({
          outcomeId,
          state: change.state,
          problem: change.problem ?? null,
          nextAttemptAt: change.nextAttemptAt ?? null,
          sentAt: change.sentAt ?? null,
          attempted: change.attempted ? 1 : 0,
        }),
      ),
  };
}
