/**
 * An outcome as the consultant writes it (a draft, possibly incomplete) and as it is signed.
 * The schemas check drafts crossing IPC; the rules (rules.ts) decide whether one may be signed.
 */
import { z } from 'zod';
import { OUTCOME_FIELDS, OUTCOME_KIND, OUTCOME_KINDS, type OutcomeField, type OutcomeKind } from './outcome-kinds';

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

type RequiredOf<K extends OutcomeKind> = (typeof OUTCOME_KIND)[K]['requires'][number];
type OptionalOf<K extends OutcomeKind> = (typeof OUTCOME_KIND)[K]['optional'][number];

/**
 * A complete outcome of one kind: the working diagnosis, then exactly the fields that kind
 * needs (required) or may have (optional), all derived from the OUTCOME_KIND table.
 */
export type OutcomeOf<K extends OutcomeKind> = { kind: K; diagnosis: string; diagnosisCode: string | null; downgradeReason?: string } & {
  [F in RequiredOf<K>]: string;
} & { [F in OptionalOf<K>]?: string };

/** The outcome model: a union discriminated by kind. */
export type Outcome = { [K in OutcomeKind]: OutcomeOf<K> }[OutcomeKind];

const text = z.string().trim().min(1).max(4000);

/** The runtime schema of the union, built from the same table. */
export const outcomeSchema = z.discriminatedUnion(
  'kind',
  OUTCOME_KINDS.map((kind) =>
    z
      .object({
        kind: z.literal(kind),
        diagnosis: text,
        diagnosisCode: z.string().regex(/^\d{6,18}$/).nullable(),
        downgradeReason: text.optional(),
        ...Object.fromEntries(OUTCOME_KIND[kind].requires.map((f: OutcomeField) => [f, text])),
        ...Object.fromEntries(OUTCOME_KIND[kind].optional.map((f: OutcomeField) => [f, text.optional()])),
      })
      .strict(),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<Outcome>;

/**
 * The outcome a draft amounts to, keeping only the fields of its kind (so a field filled for
 * another kind before the consultant changed their mind is not signed); null if incomplete.
 */
export function toOutcome(draft: OutcomeDraft): Outcome | null {
  if (!draft.kind) return null;
  const spec = OUTCOME_KIND[draft.kind];
  const keep: readonly OutcomeField[] = [...spec.requires, ...spec.optional, 'downgradeReason'];
  const fields = Object.fromEntries(keep.flatMap((f) => (draft.fields[f]?.trim() ? [[f, draft.fields[f]?.trim()]] : [])));
  const parsed = outcomeSchema.safeParse({ kind: draft.kind, diagnosis: draft.fields.diagnosis ?? '', diagnosisCode: draft.diagnosisCode, ...fields });
  return parsed.success ? parsed.data : null;
}

/** The draft an outcome is written back into (to sign, show or undo). */
export function draftOf(outcome: Outcome): OutcomeDraft {
  const { kind, diagnosisCode, ...rest } = outcome;
  return { kind, diagnosisCode, fields: rest };
}

/**
 * queued (in the undo window) → sending → sent; failed is tried again; held is not sent and
 * waits for the consultant (a referral withdrawn meanwhile, a server that refused it), who may
 * set it aside to amend and sign again, or mark it handled elsewhere; undone was taken back.
 */
export const OUTCOME_STATES = ['queued', 'sending', 'sent', 'failed', 'held', 'undone', 'set-aside', 'handled-elsewhere'] as const;
export type OutcomeState = (typeof OUTCOME_STATES)[number];

/** States in which an outcome no longer counts for its referral: another can be signed. */
export const STATES_NOT_COUNTING = ['undone', 'set-aside'] as const satisfies readonly OutcomeState[];
export type StateNotCounting = (typeof STATES_NOT_COUNTING)[number];
export const countsForReferral = (state: OutcomeState): state is Exclude<OutcomeState, StateNotCounting> => !(STATES_NOT_COUNTING as readonly OutcomeState[]).includes(state);

/** States in which nothing is owed to the GP any more: delivered, withdrawn by the consultant, or done another way. */
/**
 * A referral whose outcome is in one of these is done for the worklist: on its way to the GP,
 * sent, or handled elsewhere. Held and failed ones still need the consultant, so stay in it.
 */
export const STATES_DONE = ['queued', 'sending', 'sent', 'handled-elsewhere'] as const satisfies readonly OutcomeState[];
export const isDone = (state: OutcomeState): boolean => (STATES_DONE as readonly OutcomeState[]).includes(state);

export const STATES_SETTLED = ['sent', 'undone', 'set-aside', 'handled-elsewhere'] as const satisfies readonly OutcomeState[];

/** What the consultant can do with an outcome held, not sent. */
export const SET_ASIDE_HOW = ['amend', 'handled-elsewhere'] as const;
export type SetAsideHow = (typeof SET_ASIDE_HOW)[number];

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
