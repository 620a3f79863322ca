/**
 * An outcome as the consultant writes it (a draft, possibly incomplete) and as it is signed.
 * The schemas check drafts crossing IPC; the rules (rules.ts) decide whether one may be signed.
 */
import { z } from 'zod';
import { OUTCOME_FIELDS, OUTCOME_KINDS } from './outcome-kinds';

export const outcomeDraftSchema = z
  .object({
    kind: z.enum(OUTCOME_KINDS).nullable(),
    /** An optional SNOMED CT code from the bundled list; the diagnosis text is always kept. */
    diagnosisCode: z.string().regex(/^\d{6,18}$/).nullable(),
    /** Text of each field the consultant has filled in. */
    fields: z.partialRecord(z.enum(OUTCOME_FIELDS), z.string().max(4000)),
  })
  .strict();
export type OutcomeDraft = z.infer<typeof outcomeDraftSchema>;

export const EMPTY_DRAFT: OutcomeDraft = { kind: null, diagnosisCode: null, fields: {} };

export const OUTCOME_STATES = ['queued', 'sending', 'sent', 'failed', 'held', 'undone'] as const;
export type OutcomeState = (typeof OUTCOME_STATES)[number];

/** A signed outcome and where it stands on its way to the GP. */
export const signedOutcomeSchema = z.object({
  outcomeId: z.uuid(),
  referralId: z.string(),
  kind: z.enum(OUTCOME_KINDS),
  draft: outcomeDraftSchema,
  signedAt: z.iso.datetime({ offset: true }),
  signedBy: z.string(),
  /** The latest day the patient should be seen by, when they must be seen. */
  targetDate: z.string().nullable(),
  /** Until then the consultant can still take it back. */
  undoUntil: z.iso.datetime({ offset: true }),
  state: z.enum(OUTCOME_STATES),
  /** Why it failed or is held, in words for the consultant. */
  problem: z.string().nullable(),
  sentAt: z.iso.datetime({ offset: true }).nullable(),
});
export type SignedOutcome = z.infer<typeof signedOutcomeSchema>;
