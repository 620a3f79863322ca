/**
 * Sends signed outcomes once their undo window closes. Before each send the review Task (and
 * the referral) are read fresh: a referral withdrawn meanwhile is held and flagged, never sent;
 * one already delivered (a crash after sending, before recording it) is recorded as sent.
 * Failures stay in the outbox with the reason and are tried again with backoff until sent; a
 * refusal sending again would not change (a 400 or 422, say) holds the outcome with the server's
 * reason, for the consultant to amend and sign again or mark handled elsewhere.
 */
import type { ServiceRequest, Task } from '@medplum/fhirtypes';
import type { OutcomeStore } from '../db/outcome-store';
import type { ReferralFactsReader } from '../db/referral-facts';
import { DESK_IDENTIFIER_SYSTEM } from '../fhir/codes';
import { FhirRequestError, outcomeText, type FhirClient } from '../fhir/fhir-client';
import { buildOutcomeBundle } from '../fhir/outcome-bundle';
import type { SignedOutcome } from '../../../shared/outcome/outcome';

export interface SenderDeps {
  outcomes: OutcomeStore;
  facts: ReferralFactsReader;
  fhir: FhirClient;
  reviewerId: string | null;
  /** Whether a referral, as the server now has it, is still addressed to the desk's service. */
  addressedHere: (referral: ServiceRequest) => boolean;
  signerName: (practitionerId: string) => string;
  markGone: (referralId: string, reason: string) => void;
  /** A sync has completed since the desk opened: a referral still not in the cache is not coming back. */
  hasSynced: () => boolean;
  /** The desk is closing: nothing more is started. */
  stopped: () => boolean;
  onChange: (outcome: SignedOutcome) => void;
  now?: () => Date;
}

type Verdict = { state: 'sent' } | { state: 'held'; problem: string } | { state: 'failed'; problem: string; soon?: boolean };

const WITHDRAWN_TASK = new Set(['cancelled', 'rejected', 'entered-in-error']);
const WITHDRAWN_REFERRAL = new Set(['revoked', 'entered-in-error']);

/**
 * What the server says of the outcome itself: malformed (400), not processable (422), too large
 * (413), a media type it will not take (415). Not 403, 404 or 405, which a proxy or a missing
 * permission answers for every outcome alike: those are retried, with backoff, until fixed.
 */
const FINAL_REFUSALS: ReadonlySet<number> = new Set([400, 413, 415, 422]);

/** A refusal sending again will not change: see FINAL_REFUSALS. */
export function isFinalRefusal(status: number | null): boolean {
  return status !== null && FINAL_REFUSALS.has(status);
}

/** A refusal in words for the consultant, with what the server said. */
export function refusalProblem(status: number | string, diagnostics: string | null): string {
  return `The server refused this outcome (${status}${diagnostics ? `: ${diagnostics}` : ', with no reason given'}). It was not sent.`;
}

/** Seconds until the next try: 5 s doubling to 5 minutes, with jitter. */
export function nextAttemptDelayMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(300_000, 5000 * 2 ** Math.min(attempts, 10));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

export function createOutboxSender(deps: SenderDeps): { sendDue: () => Promise<void> } {
  const now = (): Date => deps.now?.() ?? new Date();
  let running: Promise<void> | null = null;

  const deliver = async (outcome: SignedOutcome): Promise<Verdict> => {
    const facts = deps.facts(outcome.referralId);
    // Not in the cache: a cache rebuilt after damage has not synced it yet, and it is tried again
    // after the next sync; once a sync has not brought it, it is held for the consultant.
    if (!facts?.taskId) {
      if (!deps.hasSynced()) return { state: 'failed', problem: 'Waiting for its referral to sync before it is sent.' };
      return { state: 'held', problem: 'Its referral (or its review task) did not come back when the desk synced: it may have been withdrawn or finished elsewhere. It was not sent.' };
    }
    let task: Task;
    let referral: ServiceRequest;
    try {
      task = (await deps.fhir.read(`Task/${facts.taskId}`)) as Task;
      referral = (await deps.fhir.read(`ServiceRequest/${facts.referralId}`)) as ServiceRequest;
    } catch (err) {
      if (err instanceof FhirRequestError && (err.status === 410 || err.status === 404)) {
        deps.markGone(facts.referralId, `the server answered ${err.status} when the outcome was to be sent`);
        return { state: 'held', problem: 'The referral has been withdrawn: it is gone from the server. The outcome was not sent.' };
      }
      throw err;
    }
    if (WITHDRAWN_TASK.has(task.status) || WITHDRAWN_REFERRAL.has(referral.status)) {
      return { state: 'held', problem: 'The referrer withdrew this referral after the outcome was signed. It was not sent.' };
    }
    if (!deps.addressedHere(referral)) {
      return { state: 'held', problem: 'This referral was sent to another service after the outcome was signed. It was not sent.' };
    }
    if (task.status === 'completed') {
      const already = await deps.fhir.search(`Communication?identifier=${encodeURIComponent(`${DESK_IDENTIFIER_SYSTEM.outcome}|${outcome.outcomeId}`)}`);
      return (already.entry ?? []).length > 0
        ? { state: 'sent' }
        : { state: 'held', problem: 'Someone else completed this review on the server. This outcome was not sent.' };
    }
    const owner = /^Practitioner\/(.+)$/.exec(task.owner?.reference ?? '')?.[1];
    if (task.status === 'in-progress' && owner && owner !== outcome.signedBy) {
      return { state: 'held', problem: `${deps.signerName(owner)} is now reviewing this referral on the server. It was not sent.` };
    }
    const bundle = buildOutcomeBundle({ outcome, facts, task, reviewerId: outcome.signedBy, signerName: deps.signerName(outcome.signedBy) });
    try {
      const response = await deps.fhir.transact(bundle);
      const refused = (response.entry ?? []).find((e) => !/^2\d\d/.test(e.response?.status ?? ''));
      if (refused) {
        const status = refused.response?.status ?? 'no status';
        const said = refused.response?.outcome ? outcomeText(Buffer.from(JSON.stringify(refused.response.outcome))) : null;
        // A part refused for good holds the outcome; otherwise it is tried again.
        if (isFinalRefusal(Number.parseInt(status, 10) || null)) return { state: 'held', problem: refusalProblem(status, said) };
        return { state: 'failed', problem: `The server refused part of the outcome (${status}${said ? `: ${said}` : ''}).` };
      }
      return { state: 'sent' };
    } catch (err) {
      // The Task changed between reading and sending: look again straight away.
      if (err instanceof FhirRequestError && err.status === 412) return { state: 'failed', problem: 'The review task changed on the server; trying again.', soon: true };
      // Refused for good: held with the server's reason, for the consultant to amend or settle.
      if (err instanceof FhirRequestError && isFinalRefusal(err.status)) return { state: 'held', problem: refusalProblem(err.status as number, err.diagnostics) };
      throw err;
    }
  };

  const sendOne = async (outcome: SignedOutcome): Promise<void> => {
    deps.outcomes.setState(outcome.outcomeId, { state: 'sending', problem: null });
    deps.onChange(deps.outcomes.get(outcome.outcomeId) as SignedOutcome);
    let verdict: Verdict;
    try {
      verdict = await deliver(outcome);
    } catch (err) {
      verdict = { state: 'failed', problem: `Not sent yet: ${err instanceof Error ? err.message : String(err)}. It will be tried again.` };
    }
    const at = now();
    /** Tries before this one. */
    const attempts = deps.outcomes.attempts(outcome.outcomeId);
    if (verdict.state === 'sent') deps.outcomes.setState(outcome.outcomeId, { state: 'sent', sentAt: at.toISOString(), attempted: true });
    else if (verdict.state === 'held') deps.outcomes.setState(outcome.outcomeId, { state: 'held', problem: verdict.problem, attempted: true });
    else {
      // Straight away once (a Task changed under the send); after that, the usual backoff.
      const delay = verdict.soon && attempts === 0 ? 0 : nextAttemptDelayMs(attempts);
      deps.outcomes.setState(outcome.outcomeId, { state: 'failed', problem: verdict.problem, attempted: true, nextAttemptAt: new Date(at.getTime() + delay).toISOString() });
    }
    deps.onChange(deps.outcomes.get(outcome.outcomeId) as SignedOutcome);
  };

  const run = async (): Promise<void> => {
    if (!deps.reviewerId) return;
    for (const outcome of deps.outcomes.due(now().toISOString())) {
      if (deps.stopped()) return;
      await sendOne(outcome);
    }
  };

  return {
    sendDue() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
