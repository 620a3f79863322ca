/**
 * Outcomes being written, one per referral, kept in the encrypted cache as the consultant types:
 * a half-written outcome survives moving to another case, closing it, and restarting the desk,
 * until it is signed or discarded on purpose.
 */
import { outcomeDraftSchema, type OutcomeDraft } from '../../../shared/outcome/outcome';
import type { Db } from './connection';

export interface DraftStore {
  /** The referral's draft; null when there is none (or one this version cannot read). */
  get(referralId: string): OutcomeDraft | null;
  save(referralId: string, draft: OutcomeDraft, now?: Date): void;
  discard(referralId: string): void;
}

export function createDraftStore(db: Db): DraftStore {
  const read = db.prepare('SELECT draft FROM outcome_draft WHERE referral_id = ?').pluck();
  const write = db.prepare(`INSERT INTO outcome_draft (referral_id, draft, saved_at) VALUES (?, ?, ?)
    ON CONFLICT(referral_id) DO UPDATE SET draft = excluded.draft, saved_at = excluded.saved_at`);
  const remove = db.prepare('DELETE FROM outcome_draft WHERE referral_id = ?');
  return {
    get(referralId) {
      const text = read.get(referralId) as string | undefined;
      if (text === undefined) return null;
      try {
        return outcomeDraftSchema.parse(JSON.parse(text));
      } catch {
        return null; // written by another version: the form starts empty rather than fail to open
      }
    },
    save: (referralId, draft, now = new Date()) => void write.run(referralId, JSON.stringify(draft), now.toISOString()),
    discard: (referralId) => void remove.run(referralId),
  };
}
