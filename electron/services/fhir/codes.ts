/**
 * How the desk's domain words map onto FHIR R4 codes. Both the demo hub and the desk's own
 * FHIR mapping read this table, so they cannot disagree.
 */
import type { ImageView, ReferrerPriority } from '../../../shared/domain/referral';

/** Code systems the desk defines itself, for things no published system names. */
export const DESK_CODE_SYSTEM = {
  consent: 'https://derm-review-desk.invalid/fhir/CodeSystem/teledermatology-consent',
  imageView: 'https://derm-review-desk.invalid/fhir/CodeSystem/image-view',
  question: 'https://derm-review-desk.invalid/fhir/CodeSystem/referral-question',
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

export function referrerPriorityFromFhir(priority: string | undefined): ReferrerPriority | undefined {
  if (priority === 'stat') return 'urgent-suspected-cancer';
  return (Object.keys(FHIR_PRIORITY) as ReferrerPriority[]).find((p) => FHIR_PRIORITY[p] === priority);
}

/** The three consents recorded by the photographer (BRIEF §1). */
export const CONSENT_KINDS = ['share-with-hospital', 'teaching-use', 'hospital-referral'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];
export const CONSENT_LABELS: Record<ConsentKind, string> = {
  'share-with-hospital': 'Images shared with the hospital',
  'teaching-use': 'Images used anonymously for training and education',
  'hospital-referral': 'Hospital may arrange an appointment',
};

export const IMAGE_VIEW_CODES: Record<ImageView, string> = {
  distant: 'distant',
  'close-up': 'close-up',
  dermoscopic: 'dermoscopic',
};

export const SNOMED = 'http://snomed.info/sct';
