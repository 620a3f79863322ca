/**
 * SQL fragments that say where a referral stands, written once for every query that needs
 * them. Each expects the referral as `r`.
 */
import type { OutcomeState } from '../../../shared/outcome/outcome';

/** The review Task's status (the newest Task, should a referral have several). */
export const TASK_STATUS = `(SELECT t.status FROM review_task t WHERE t.referral_id = r.id ORDER BY t.rowid DESC LIMIT 1)`;

/** Withdrawn upstream: the referral revoked or entered in error, its review Task cancelled, or gone. */
export const WITHDRAWN = `(r.status IN ('revoked', 'entered-in-error') OR coalesce(${TASK_STATUS}, '') IN ('cancelled', 'rejected', 'entered-in-error')
  OR EXISTS (SELECT 1 FROM referral_gone g WHERE g.referral_id = r.id))`;

/** Who is reviewing it: the owner of an in-progress review Task. */
export const HELD_BY = `(SELECT json_object('practitionerId', t.owner_id, 'name', coalesce(pr.name, 'Practitioner/' || t.owner_id))
  FROM review_task t LEFT JOIN practitioner pr ON pr.id = t.owner_id
  WHERE t.referral_id = r.id AND t.status = 'in-progress' AND t.owner_id IS NOT NULL ORDER BY t.rowid DESC LIMIT 1)`;

/** In the queue: not finished (completed referrals and tasks leave it); withdrawn ones stay, marked. */
export const IN_QUEUE = `(r.status NOT IN ('completed') AND coalesce(${TASK_STATUS}, '') NOT IN ('completed', 'failed'))`;

/** A list of outcome states for `IN`: the program's own constants, never text from outside. */
export const sqlStates = (states: readonly OutcomeState[]): string => `(${states.map((state) => `'${state}'`).join(', ')})`;
