/**
 * How the desk's domain words map onto FHIR R4 codes. Both the demo hub and the desk's own
 * FHIR mapping read this table, so they cannot disagree.
 */
import type { ImageView, ReferrerPriority } from '../../../shared/domain/referral';
import type { Urgency } from '../../../shared/outcome/urgency';

/** Code systems the desk defines itself, for things no published system names. */
export const DESK_CODE_SYSTEM = {
  consent: 'https://derm-review-desk.invalid/fhir/CodeSystem/teledermatology-consent',
  imageView: 'https://derm-review-desk.invalid/fhir/CodeSystem/image-view',
  question: 'https://derm-review-desk.invalid/fhir/CodeSystem/referral-question',
  destination: 'https://derm-review-desk.invalid/fhir/CodeSystem/outcome-destination',
  outcomeKind: 'https://derm-review-desk.invalid/fhir/CodeSystem/outcome-kind',
} as const;

/** Identifier systems for what the desk creates: the value is the outcome's own id. */
export const DESK_IDENTIFIER_SYSTEM = {
  outcome: 'https://derm-review-desk.invalid/fhir/Identifier/outcome',
  onwardRequest: 'https://derm-review-desk.invalid/fhir/Identifier/outcome-onward-request',
} as const;

/**
 * FHIR request priority (routine | urgent | asap | stat) for the referrer's priority. Urgent
 * suspected cancer (the two-week pathway) travels as `asap`.
 */
export const FHIR_PRIORITY: Record<ReferrerPriority, 'routine' | 'urgent' | 'asap'> = {
  routine: 'routine',
  urgent: 'urgent',
  'urgent-suspected-cancer': 'asap',
};

/** FHIR request priority for the urgency an outcome sets: two weeks travels as asap, like the referral's. */
export const URGENCY_PRIORITY: Record<Urgency, 'routine' | 'urgent' | 'asap'> = {
  'two-week': 'asap',
  urgent: 'urgent',
  routine: 'routine',
};

export function referrerPriorityFromFhir(priority: string | undefined): ReferrerPriority | undefined {
  if (priority === 'stat') return 'urgent-suspected-cancer';
  return (Object.keys(FHIR_PRIORITY) as ReferrerPriority[]).find((p) => FHIR_PRIORITY[p] === priority);
}

export { CONSENT_KINDS, CONSENT_LABELS, type ConsentKind } from '../../../shared/domain/referral';

export const IMAGE_VIEW_CODES: Record<ImageView, string> = {
  distant: 'distant',
  'close-up': 'close-up',
  dermoscopic: 'dermoscopic',
};

export const SNOMED = 'http://snomed.info/sct';
