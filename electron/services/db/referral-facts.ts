/** What signing and sending an outcome need to know about a referral, in one read. */
import type { ReferrerPriority } from '../../../shared/domain/referral';
import type { Db } from './connection';
import { WITHDRAWN } from './referral-sql';

export interface ReferralFacts {
  referralId: string;
  patientId: string;
  /** The patient's record is in the cache: an outcome is signed only for a patient the desk can name. */
  patientKnown: boolean;
  requesterId: string | null;
  referrerPriority: ReferrerPriority;
  withdrawn: boolean;
  /** The hospital-referral consent as recorded; null when there is no record. */
  hospitalReferralConsent: boolean | null;
  taskId: string | null;
  /** Who holds the review (an in-progress Task's owner), if anyone. */
  reviewerId: string | null;
}

export type ReferralFactsReader = (referralId: string) => ReferralFacts | undefined;

export function createReferralFacts(db: Db): ReferralFactsReader {
  const read = db.prepare(`SELECT r.id AS referralId, r.patient_id AS patientId, r.requester_id AS requesterId,
      r.referrer_priority AS referrerPriority, ${WITHDRAWN} AS withdrawn,
      EXISTS (SELECT 1 FROM patient p WHERE p.id = r.patient_id) AS patientKnown,
      (SELECT c.permitted FROM consent c WHERE c.referral_id = r.id AND c.kind = 'hospital-referral'
        ORDER BY c.recorded_at DESC LIMIT 1) AS consent,
      (SELECT t.id FROM review_task t WHERE t.referral_id = r.id ORDER BY t.rowid DESC LIMIT 1) AS taskId,
      (SELECT t.owner_id FROM review_task t WHERE t.referral_id = r.id AND t.status = 'in-progress' ORDER BY t.rowid DESC LIMIT 1) AS reviewerId
    FROM referral r WHERE r.id = ?`);
  return (referralId) => {
    const row = read.get(referralId) as (Omit<ReferralFacts, 'withdrawn' | 'hospitalReferralConsent' | 'patientKnown'> & { withdrawn: number; consent: number | null; patientKnown: number }) | undefined;
    if (!row) return undefined;
    const { consent, withdrawn, patientKnown, ...rest } = row;
    return { ...rest, withdrawn: withdrawn === 1, patientKnown: patientKnown === 1, hospitalReferralConsent: consent === null ? null : consent === 1 };
  };
}
