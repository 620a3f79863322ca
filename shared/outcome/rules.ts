/**
 * The rules between outcomes, consent and urgency, as pure functions. Each error
 * names the field and says what to do.
 */
import type { CaseDetail, ReferrerPriority } from '../domain/referral';
import { CHOICES, FIELD_LABELS, OUTCOME_KIND, type OutcomeField } from './outcome-kinds';
import type { OutcomeDraft } from './outcome';
import { URGENCIES } from './urgency';

export interface OutcomeContext {
  referrerPriority: ReferrerPriority;
  /** The patient's consent to the hospital arranging an appointment; null when none is recorded. */
  hospitalReferralConsent: boolean | null;
  withdrawn: boolean;
}

/** The context of a case as the desk holds it. */
export function outcomeContext(detail: Pick<CaseDetail, 'referrerPriority' | 'consents' | 'state'>): OutcomeContext {
  return {
    referrerPriority: detail.referrerPriority,
    hospitalReferralConsent: detail.consents.find((c) => c.kind === 'hospital-referral')?.permitted ?? null,
    withdrawn: detail.state === 'withdrawn',
  };
}

export interface FieldError {
  field: OutcomeField | 'kind';
  message: string;
}

const filled = (draft: OutcomeDraft, field: OutcomeField): boolean => (draft.fields[field] ?? '').trim() !== '';

/**
 * An urgent suspected cancer referral keeps its pathway only if the patient is seen within two
 * weeks. Anything else is a downgrade, which cancer waiting-times guidance reserves to the
 * referrer unless the reason is recorded. Returning the referral hands the decision back to them.
 */
export function isDowngrade(draft: OutcomeDraft, context: OutcomeContext): boolean {
  if (context.referrerPriority !== 'urgent-suspected-cancer' || !draft.kind || draft.kind === 'return-to-referrer') return false;
  return draft.fields.urgency !== 'two-week';
}

/** Every field the form must show for this draft, required ones first. */
export function fieldsFor(draft: OutcomeDraft, context: OutcomeContext): { required: OutcomeField[]; optional: OutcomeField[] } {
  if (!draft.kind) return { required: ['diagnosis'], optional: [] };
  const spec = OUTCOME_KIND[draft.kind];
  const required: OutcomeField[] = ['diagnosis', ...spec.requires];
  if (isDowngrade(draft, context)) required.push('downgradeReason');
  return { required, optional: [...spec.optional] };
}

const CHOICE_FIELDS: Partial<Record<OutcomeField, Record<string, string>>> = {
  ...CHOICES,
  urgency: Object.fromEntries(URGENCIES.map((u) => [u, u])),
};

export function validateOutcome(draft: OutcomeDraft, context: OutcomeContext): FieldError[] {
  if (context.withdrawn) {
    return [{ field: 'kind', message: 'The referrer has withdrawn this referral: nothing can be sent for it.' }];
  }
  if (!draft.kind) return [{ field: 'kind', message: 'Choose an outcome (keys 1 to 8).' }];
  const errors: FieldError[] = [];
  const spec = OUTCOME_KIND[draft.kind];

  if (spec.hospitalAppointment && context.hospitalReferralConsent !== true) {
    const why = context.hospitalReferralConsent === false ? 'The patient has not consented' : 'There is no record of the patient consenting';
    errors.push({
      field: 'kind',
      message: `${why} to the hospital arranging an appointment. Advise the GP instead (no action, investigations or treatment), or return the referral to ask.`,
    });
  }

  const { required } = fieldsFor(draft, context);
  for (const field of required) {
    if (!filled(draft, field)) errors.push({ field, message: `${FIELD_LABELS[field]} is needed for ${spec.label.toLowerCase()}.` });
  }

  for (const [field, value] of Object.entries(draft.fields) as [OutcomeField, string][]) {
    const choices = CHOICE_FIELDS[field];
    if (choices && value.trim() !== '' && !Object.hasOwn(choices, value)) {
      errors.push({ field, message: `${FIELD_LABELS[field]}: choose one of the options, not "${value.slice(0, 40)}".` });
    }
  }
  return errors;
}
