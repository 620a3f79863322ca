/** The opinion as the GP reads it: plain text built from the signed outcome. */
import { CHOICES, FIELD_LABELS, OUTCOME_KIND, type OutcomeField } from './outcome-kinds';
import type { OutcomeDraft } from './outcome';
import { URGENCY, type Urgency } from './urgency';

/** The order fields appear in the letter; the diagnosis and kind come first, separately. */
const LETTER_ORDER: readonly OutcomeField[] = [
  'urgency', 'clinicType', 'biopsySite', 'biopsyType', 'department', 'onwardReason', 'communityReason',
  'investigations', 'treatmentWhat', 'treatmentStrength', 'treatmentHow', 'treatmentDuration',
  'returnReason', 'resend', 'adviceToGp', 'downgradeReason',
];

function shown(field: OutcomeField, value: string): string {
  if (field === 'urgency') return URGENCY[value as Urgency]?.label ?? value;
  const choices = (CHOICES as Record<string, Record<string, string> | undefined>)[field];
  return choices?.[value] ?? value;
}

export function outcomeLetter(draft: OutcomeDraft, signedBy: string, targetDate: string | null): string {
  if (!draft.kind) throw new Error('an outcome without a kind has no letter');
  const lines = [
    `Teledermatology opinion: ${OUTCOME_KIND[draft.kind].label}`,
    `${FIELD_LABELS.diagnosis}: ${draft.fields.diagnosis ?? ''}${draft.diagnosisCode ? ` (SNOMED CT ${draft.diagnosisCode})` : ''}`,
  ];
  for (const field of LETTER_ORDER) {
    const value = draft.fields[field]?.trim();
    if (value) lines.push(`${FIELD_LABELS[field]}: ${shown(field, value)}`);
  }
  if (targetDate) lines.push(`To be seen by: ${targetDate}`);
  lines.push(`Signed: ${signedBy}`);
  return lines.join('\n');
}
