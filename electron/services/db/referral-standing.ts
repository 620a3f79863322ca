/**
 * Where each held referral stands, for the retention rule (cache/retention-rule.ts), and when the
 * desk first saw it finished: noted at each look, by the desk's own clock.
 */
import type { ReferralStanding } from '../cache/retention-rule';
import type { Db } from './connection';
import { IN_QUEUE, sqlStates, WITHDRAWN } from './referral-sql';
import { STATES_SETTLED } from '../../../shared/outcome/outcome';

/** Notes newly finished referrals as finished `now` (and forgets the note of any open again), then reads every referral's standing. */
export function createReferralStandings(db: Db): (now: Date) => ReferralStanding[] {
  const FINISHED = `(${WITHDRAWN} OR NOT ${IN_QUEUE})`;
  const note = db.prepare(`INSERT INTO referral_finished (referral_id, seen_at) SELECT r.id, ? FROM referral r
    WHERE ${FINISHED} AND NOT EXISTS (SELECT 1 FROM referral_finished f WHERE f.referral_id = r.id)`);
  const reopened = db.prepare(`DELETE FROM referral_finished WHERE referral_id NOT IN (SELECT r.id FROM referral r WHERE ${FINISHED})`);
  const standings = db.prepare(`SELECT r.id, r.patient_id AS patientId, f.seen_at AS finishedSince,
      EXISTS (SELECT 1 FROM referral_gone g WHERE g.referral_id = r.id AND g.sent_to IS NOT NULL) AS sentElsewhere,
      EXISTS (SELECT 1 FROM outcome o JOIN outbox b ON b.outcome_id = o.id WHERE o.referral_id = r.id AND b.state NOT IN ${sqlStates(STATES_SETTLED)}) AS undelivered
    FROM referral r LEFT JOIN referral_finished f ON f.referral_id = r.id`);
  const look = db.transaction((now: Date): ReferralStanding[] => {
    note.run(now.toISOString());
    reopened.run();
    type Row = Omit<ReferralStanding, 'undelivered' | 'sentElsewhere'> & { undelivered: number; sentElsewhere: number };
    return (standings.all() as Row[]).map((row) => ({ ...row, undelivered: row.undelivered === 1, sentElsewhere: row.sentElsewhere === 1 }));
  });
  return (now) => look.immediate(now);
}
