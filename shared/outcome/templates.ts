/**
 * Built-in templates for common scenarios: one key fills the outcome, the consultant checks it
 * and signs. Consultants' own templates are stored in the desk and work the same way.
 */
import { z } from 'zod';
import { outcomeDraftSchema, type OutcomeDraft } from './outcome';

export interface OutcomeTemplate {
  id: string;
  name: string;
  /** The key that applies it in the outcome form. */
  key: string;
  draft: OutcomeDraft;
}

export const BUILT_IN_TEMPLATES: readonly OutcomeTemplate[] = [
  {
    id: 'benign-naevus', name: 'Benign melanocytic naevus: no action', key: 'n',
    draft: {
      kind: 'no-action', diagnosisCode: '400096001',
      fields: {
        diagnosis: 'Melanocytic naevus',
        adviceToGp: 'Benign features on dermoscopy. Reassure. Re-refer if it changes in size, shape or colour, bleeds or itches.',
      },
    },
  },
  {
    id: 'solar-lentigo', name: 'Solar lentigo: no action', key: 'l',
    draft: {
      kind: 'no-action', diagnosisCode: '72100002',
      fields: { diagnosis: 'Solar lentigo', adviceToGp: 'Benign sun-related pigmentation. Reassure; advise sun protection.' },
    },
  },
  {
    id: 'actinic-keratosis', name: 'Actinic keratosis: treatment by the GP', key: 'a',
    draft: {
      kind: 'treatment', diagnosisCode: '201101007',
      fields: {
        diagnosis: 'Actinic keratosis',
        treatmentWhat: 'Fluorouracil cream', treatmentStrength: '5%', treatmentHow: 'Apply thinly to the lesion twice daily',
        treatmentDuration: '3 to 4 weeks',
        adviceToGp: 'Expect inflammation during treatment. Re-refer if it does not clear or becomes tender or thickened.',
      },
    },
  },
  {
    id: 'suspected-bcc', name: 'Suspected basal cell carcinoma: surgical clinic, routine', key: 'b',
    draft: {
      kind: 'clinic', diagnosisCode: '254701007',
      fields: { diagnosis: 'Basal cell carcinoma of skin', urgency: 'routine', clinicType: 'surgical' },
    },
  },
  {
    id: 'suspected-melanoma', name: 'Suspected melanoma: pigmented lesion clinic within two weeks', key: 'm',
    draft: {
      kind: 'clinic', diagnosisCode: null,
      fields: { diagnosis: 'Suspected melanoma', urgency: 'two-week', clinicType: 'pigmented-lesion' },
    },
  },
  {
    id: 'return-no-dermoscopy', name: 'Return: no dermoscopic image', key: 'd',
    draft: {
      kind: 'return-to-referrer', diagnosisCode: null,
      fields: {
        diagnosis: 'Not assessable from the images sent',
        returnReason: 'no-dermoscopy',
        resend: 'A dermoscopic image of the lesion, with the close-up and distant views.',
      },
    },
  },
];

/** A consultant's own template, saved in the desk, applied by the letter they chose. */
export const userTemplateSchema = z.object({
  id: z.uuid(),
  name: z.string().trim().min(1).max(80),
  key: z.string().regex(/^[a-z]$/, 'a template key is one lower-case letter'),
  draft: outcomeDraftSchema,
});
export type UserTemplate = z.infer<typeof userTemplateSchema>;
export const newUserTemplateSchema = userTemplateSchema.omit({ id: true }).strict();
export type NewUserTemplate = z.infer<typeof newUserTemplateSchema>;
