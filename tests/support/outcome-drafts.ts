/** Outcome drafts for tests: complete ones for each kind, built on the shared model. */
import type { OutcomeDraft } from '../../shared/outcome/outcome';

export const clinicTwoWeek: OutcomeDraft = {
  kind: 'clinic',
  diagnosisCode: '189758001',
  fields: { diagnosis: 'Melanoma in situ', urgency: 'two-week', clinicType: 'pigmented-lesion' },
};

export const noAction: OutcomeDraft = {
  kind: 'no-action',
  diagnosisCode: '400096001',
  fields: { diagnosis: 'Melanocytic naevus', adviceToGp: 'Benign. Reassure.', downgradeReason: 'Benign naevus on dermoscopy' },
};
