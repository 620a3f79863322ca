/**
 * Signing and undoing. A draft is signed only if the rules allow it, by the consultant who holds
 * the review (or nobody, when the claim could not be made offline), once per referral.
 */
import { randomUUID } from 'node:crypto';
import { londonDate } from '../../../shared/clock/working-days';
import { draftOf, toOutcome, type OutcomeDraft, type SetAsideHow, type SignedOutcome } from '../../../shared/outcome/outcome';
import { validateOutcome, type FieldError } from '../../../shared/outcome/rules';
import { targetDate, URGENCIES, type Urgency } from '../../../shared/outcome/urgency';
import type { OutcomeStore } from '../db/outcome-store';
import type { ReferralFactsReader } from '../db/referral-facts';

/** The consultant's ten seconds to change their mind before the outcome goes. */
export const UNDO_WINDOW_MS = 10_000;

export class OutcomeRefused extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.message).join(' '));
  }
}

export interface SigningDeps {
  outcomes: OutcomeStore;
  facts: ReferralFactsReader;
  reviewerId: string | null;
  undoMs: number;
  now?: () => Date;
}

export function signOutcome(deps: SigningDeps, referralId: string, draft: OutcomeDraft): SignedOutcome {
  const now = deps.now?.() ?? new Date();
  const refuse = (message: string): never => {
    throw new OutcomeRefused([{ field: 'kind', message }]);
  };
  const facts = deps.facts(referralId);
  if (!facts) return refuse(`Referral ${referralId} is not in the cache.`);
  if (!deps.reviewerId) return refuse('The desk does not know which consultant you are, so it cannot sign (set DESK_PRACTITIONER_ID).');
  if (facts.reviewerId && facts.reviewerId !== deps.reviewerId) return refuse('Another consultant is reviewing this referral: it is read-only for you.');
  if (deps.outcomes.current(referralId)) return refuse('This referral already has a signed outcome.');
  if (!facts.patientKnown) return refuse("The patient's record has not arrived from the server, or could not be read: an outcome cannot be signed until the desk knows who the patient is.");
  const errors = validateOutcome(draft, facts);
  const content = toOutcome(draft);
  if (errors.length > 0 || !content) throw new OutcomeRefused(errors.length ? errors : [{ field: 'kind', message: 'The outcome is incomplete.' }]);

  const urgency = 'urgency' in content ? URGENCIES.find((u): u is Urgency => u === content.urgency) : undefined;
  const signedAt = now.toISOString();
  const outcome = {
    outcomeId: randomUUID(),
    referralId,
    kind: content.kind,
    // Only what this kind of outcome says is signed.
    draft: draftOf(content),
    signedAt,
    signedBy: deps.reviewerId,
    targetDate: urgency ? targetDate(londonDate(now), urgency) : null,
    undoUntil: new Date(now.getTime() + deps.undoMs).toISOString(),
  };
  deps.outcomes.sign(outcome);
  return deps.outcomes.get(outcome.outcomeId) as SignedOutcome;
}

/** Takes a signed outcome back, while the undo window is open and nothing has gone. */
export function undoOutcome(outcomes: OutcomeStore, outcomeId: string, now = new Date()): SignedOutcome {
  const outcome = outcomes.get(outcomeId);
  if (!outcome) throw new OutcomeRefused([{ field: 'kind', message: 'There is no such outcome.' }]);
  if (outcome.state !== 'queued' || now.toISOString() >= outcome.undoUntil) {
    throw new OutcomeRefused([{ field: 'kind', message: 'Too late to undo: the outcome is on its way to the GP.' }]);
  }
  outcomes.setState(outcomeId, { state: 'undone' });
  return outcomes.get(outcomeId) as SignedOutcome;
}

/**
 * An outcome held, not sent (the server refused it, the referral was withdrawn meanwhile): set
 * aside so that the consultant can amend it and sign again, or marked handled elsewhere (by
 * phone, in e-RS) so that nothing is owed any more. Either is final for this outcome.
 */
export function setAsideOutcome(outcomes: OutcomeStore, outcomeId: string, how: SetAsideHow): SignedOutcome {
  const outcome = outcomes.get(outcomeId);
  if (!outcome) throw new OutcomeRefused([{ field: 'kind', message: 'There is no such outcome.' }]);
  if (outcome.state !== 'held') {
    throw new OutcomeRefused([{ field: 'kind', message: 'Only an outcome held, not sent, can be amended or marked handled elsewhere.' }]);
  }
  outcomes.setState(outcomeId, { state: how === 'amend' ? 'set-aside' : 'handled-elsewhere' });
  return outcomes.get(outcomeId) as SignedOutcome;
}
