/**
 * The outcome side of the desk: the draft being written for each referral, signing, undoing,
 * and the outbox that sends what is due, woken at the next due time (and at start-up, so what a
 * crash left behind goes out).
 */
import type { DeskHandlers } from '../../../shared/ipc/contract';
import type { SignedOutcome } from '../../../shared/outcome/outcome';
import type { CaseStore } from '../db/case-store';
import type { AuditTrail } from '../audit/audit-trail';
import { durableTransaction, type Db } from '../db/connection';
import { createDraftStore } from '../db/draft-store';
import { createOutcomeStore } from '../db/outcome-store';
import { createReferralFacts } from '../db/referral-facts';
import type { FhirClient } from '../fhir/fhir-client';
import { createOutboxSender } from './outbox-sender';
import { addressedTo } from '../sync/scope';
import { setAsideOutcome, signOutcome, undoOutcome } from './sign-outcome';
import { isSettled, type OutcomeJournal, type SettledState } from './outcome-journal';

export interface OutcomeDeskDeps {
  db: Db;
  cases: CaseStore;
  fhir: FhirClient;
  reviewerId: string | null;
  /** The service whose work this is: an outcome for a referral sent elsewhere meanwhile is held. */
  service: string;
  undoMs: number;
  onChange: (outcome: SignedOutcome) => void;
  /** Runs background work so the desk can wait for it before closing. */
  track: (work: Promise<unknown>) => void;
  audit: AuditTrail;
  /** What time it is for the undo window and the outbox; the system clock unless given. */
  now?: () => Date;
  /** Where every signature and its settling are also kept, apart from the cache. */
  journal: OutcomeJournal;
  /** The journal could not be written: said to the consultant (the outcome itself is kept in the cache). */
  onJournalFailure: (err: unknown) => void;
  /** A sync has completed since the desk opened. */
  hasSynced: () => boolean;
}

export interface OutcomeDesk {
  handlers: Pick<DeskHandlers, 'draft.get' | 'draft.save' | 'draft.discard' | 'outcome.sign' | 'outcome.undo' | 'outcome.setAside' | 'outcome.list'>;
  /** Looks at the outbox now and schedules the next look. */
  wake: () => void;
  /** Signed outcomes still on their way to the GP (queued, sending or failed). */
  unsentCount: () => number;
  /** The server answered (a sync succeeded): failed outcomes are tried again now. */
  serverReachable: () => void;
  stop: () => void;
}

/** Even with nothing due, look again this often: a failed send's next try may have been moved. */
const LONGEST_SLEEP_MS = 60_000;

export function createOutcomeDesk(deps: OutcomeDeskDeps): OutcomeDesk {
  const now = deps.now ?? ((): Date => new Date());
  const outcomes = createOutcomeStore(deps.db);
  const drafts = createDraftStore(deps.db);
  /** Into the journal, after the cache has it: a failure there never undoes what the cache committed. */
  const journal = (write: () => void): void => {
    try {
      write();
    } catch (err) {
      deps.onJournalFailure(err);
    }
  };
  const journalSettled = (outcome: SignedOutcome): void => {
    if (isSettled(outcome.state)) journal(() => deps.journal.settled(outcome.outcomeId, outcome.state as SettledState, now()));
  };
  const facts = createReferralFacts(deps.db);
  const sender = createOutboxSender({
    outcomes,
    facts,
    fhir: deps.fhir,
    reviewerId: deps.reviewerId,
    addressedHere: (referral) => addressedTo(referral, deps.service, deps.fhir.baseUrl),
    signerName: (id) => deps.cases.practitionerName(id) ?? `Practitioner/${id}`,
    markGone: (referralId, reason) => deps.cases.markGone(referralId, reason),
    hasSynced: deps.hasSynced,
    stopped: () => stopped,
    now,
    onChange: (outcome) => {
      journalSettled(outcome);
      if (outcome.state === 'sent' || outcome.state === 'held') {
        deps.audit.record(outcome.signedBy, `outcome.${outcome.state}`, outcome.outcomeId, outcome.problem ?? `referral ${outcome.referralId}`);
      }
      deps.onChange(outcome);
    },
  });
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const wake = (): void => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    const next = outcomes.nextDue();
    const delay = next === null ? LONGEST_SLEEP_MS : Math.min(LONGEST_SLEEP_MS, Math.max(0, Date.parse(next) - now().getTime()));
    timer = setTimeout(() => {
      timer = null;
      deps.track(sender.sendDue().finally(wake));
    }, delay);
    timer.unref();
  };

  return {
    handlers: {
      'draft.get': async ({ referralId }) => drafts.get(referralId),
      'draft.save': async ({ referralId, draft }) => {
        drafts.save(referralId, draft, now());
        return null;
      },
      'draft.discard': async ({ referralId }) => {
        drafts.discard(referralId);
        return null;
      },
      'outcome.sign': async ({ referralId, draft }) => {
        // The signature, its audit entry and the end of the draft are one durable transaction.
        const signed = durableTransaction(deps.db, () => {
          const outcome = signOutcome({ outcomes, facts, reviewerId: deps.reviewerId, undoMs: deps.undoMs, now }, referralId, draft);
          deps.audit.record(outcome.signedBy, 'outcome.signed', outcome.outcomeId, `${outcome.kind} for referral ${referralId}`);
          drafts.discard(referralId);
          return outcome;
        });
        // Flushed to the journal before the consultant is told "signed".
        journal(() => deps.journal.signed({
          outcomeId: signed.outcomeId, referralId, kind: signed.kind, draft: signed.draft, signedAt: signed.signedAt,
          signedBy: signed.signedBy, targetDate: signed.targetDate, undoUntil: signed.undoUntil,
        }));
        deps.onChange(signed);
        wake();
        return signed;
      },
      'outcome.undo': async ({ outcomeId }) => {
        const undone = durableTransaction(deps.db, () => {
          const outcome = undoOutcome(outcomes, outcomeId, now());
          deps.audit.record(outcome.signedBy, 'outcome.undone', outcomeId, `referral ${outcome.referralId}`);
          drafts.save(outcome.referralId, outcome.draft, now()); // back in the form, and kept as a draft
          return outcome;
        });
        journalSettled(undone);
        deps.onChange(undone);
        wake();
        return undone;
      },
      'outcome.setAside': async ({ outcomeId, how }) => {
        const settled = durableTransaction(deps.db, () => {
          const outcome = setAsideOutcome(outcomes, outcomeId, how);
          const action = how === 'amend' ? 'outcome.set-aside' : 'outcome.handled-elsewhere';
          deps.audit.record(deps.reviewerId ?? outcome.signedBy, action, outcomeId, `referral ${outcome.referralId}: ${outcome.problem ?? 'held'}`);
          if (how === 'amend') drafts.save(outcome.referralId, outcome.draft, now()); // to amend and sign again
          return outcome;
        });
        journalSettled(settled);
        deps.onChange(settled);
        return settled;
      },
      'outcome.list': async () => outcomes.list(),
    },
    wake,
    unsentCount: () => outcomes.unsentCount(),
    serverReachable() {
      outcomes.hurryFailed(now().toISOString());
      wake();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
