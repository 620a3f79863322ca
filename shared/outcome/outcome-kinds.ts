/**
 * The outcomes a consultant can choose and what each needs. The form's fields, the
 * rules, and the FHIR a signed outcome becomes are all read from this table.
 */
export const OUTCOME_KINDS = [
  'no-action',
  'investigations',
  'treatment',
  'clinic',
  'biopsy',
  'onward-referral',
  'community',
  'return-to-referrer',
] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** Every field any outcome can have; which ones a kind uses is in OUTCOME_KIND below. */
export const OUTCOME_FIELDS = [
  'diagnosis',
  'adviceToGp',
  'investigations',
  'treatmentWhat',
  'treatmentStrength',
  'treatmentHow',
  'treatmentDuration',
  'urgency',
  'clinicType',
  'biopsySite',
  'biopsyType',
  'department',
  'onwardReason',
  'communityReason',
  'returnReason',
  'resend',
  'downgradeReason',
] as const;
export type OutcomeField = (typeof OUTCOME_FIELDS)[number];

/** Where a patient who must be seen is sent; becomes the new ServiceRequest's category. */
export type Destination = 'dermatology-clinic' | 'dermatology-biopsy' | 'plastics-ent' | 'general-surgery' | 'community-dermatology';

export interface OutcomeKindSpec {
  label: string;
  /** The number key that picks it in the form. */
  key: string;
  /** Fields the kind requires, beyond the diagnosis. */
  requires: readonly OutcomeField[];
  /** Fields it may have. */
  optional: readonly OutcomeField[];
  /** The hospital arranges an appointment: needs the patient's consent to a hospital referral. */
  hospitalAppointment: boolean;
  /** Where the patient is sent, if they must be seen (decided by a field for onward referral). */
  destination: Destination | 'by-department' | null;
}

export const OUTCOME_KIND = {
  'no-action': { label: 'No action', key: '1', requires: ['adviceToGp'], optional: [], hospitalAppointment: false, destination: null },
  investigations: { label: 'Investigations', key: '2', requires: ['investigations'], optional: ['adviceToGp'], hospitalAppointment: false, destination: null },
  treatment: {
    label: 'Treatment (GP prescribes)', key: '3',
    requires: ['treatmentWhat', 'treatmentHow', 'treatmentDuration'], optional: ['treatmentStrength', 'adviceToGp'],
    hospitalAppointment: false, destination: null,
  },
  clinic: { label: 'Dermatology clinic', key: '4', requires: ['urgency', 'clinicType'], optional: ['adviceToGp'], hospitalAppointment: true, destination: 'dermatology-clinic' },
  biopsy: { label: 'Skin biopsy', key: '5', requires: ['urgency', 'biopsySite', 'biopsyType'], optional: ['adviceToGp'], hospitalAppointment: true, destination: 'dermatology-biopsy' },
  'onward-referral': {
    label: 'Onward referral', key: '6', requires: ['department', 'onwardReason', 'urgency'], optional: ['adviceToGp'],
    hospitalAppointment: true, destination: 'by-department',
  },
  community: { label: 'Community dermatology', key: '7', requires: ['communityReason'], optional: ['adviceToGp'], hospitalAppointment: false, destination: 'community-dermatology' },
  'return-to-referrer': { label: 'Return to referrer', key: '8', requires: ['returnReason', 'resend'], optional: ['adviceToGp'], hospitalAppointment: false, destination: null },
} as const satisfies Record<OutcomeKind, OutcomeKindSpec>;

/** Choices for the fields that take one. */
export const CHOICES = {
  clinicType: { general: 'General dermatology', 'pigmented-lesion': 'Pigmented lesion clinic', surgical: 'Dermatological surgery' },
  biopsyType: { punch: 'Punch', shave: 'Shave', excisional: 'Excisional' },
  department: { 'plastics-ent': 'Plastic surgery (run by ENT)', 'general-surgery': 'General surgery' },
  returnReason: {
    'images-out-of-focus': 'Images out of focus',
    'images-poorly-lit': 'Images poorly lit',
    'no-dermoscopy': 'No dermoscopic image',
    'wrong-lesion': 'Images show the wrong lesion',
    'history-incomplete': 'History incomplete',
    'wrong-service': 'Wrong service for this problem',
  },
} as const;

export const FIELD_LABELS: Record<OutcomeField, string> = {
  diagnosis: 'Working diagnosis',
  adviceToGp: 'Advice to the GP',
  investigations: 'Investigations (done by the GP)',
  treatmentWhat: 'Treatment',
  treatmentStrength: 'Strength',
  treatmentHow: 'How to use it',
  treatmentDuration: 'For how long',
  urgency: 'Urgency',
  clinicType: 'Clinic',
  biopsySite: 'Biopsy site',
  biopsyType: 'Biopsy type',
  department: 'Department',
  onwardReason: 'Reason (location or size)',
  communityReason: 'Reason',
  returnReason: 'Why it is returned',
  resend: 'What to send again',
  downgradeReason: 'Why the urgent suspected cancer referral is downgraded',
};

/** The outcome kind for a key in the form, if any. */
export function kindForKey(key: string): OutcomeKind | undefined {
  return OUTCOME_KINDS.find((kind) => OUTCOME_KIND[kind].key === key);
}
