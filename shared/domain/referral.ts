/**
 * What the desk knows about a referral. The zod schemas are the single source: types are
 * inferred from them, and the same schemas check data crossing IPC.
 */
import { z } from 'zod';

export const REFERRER_PRIORITIES = ['routine', 'urgent', 'urgent-suspected-cancer'] as const;
export type ReferrerPriority = (typeof REFERRER_PRIORITIES)[number];
export const REFERRER_PRIORITY_LABELS: Record<ReferrerPriority, string> = {
  routine: 'Routine',
  urgent: 'Urgent',
  'urgent-suspected-cancer': 'Urgent suspected cancer',
};
/** The same in a queue row, where width is short: USC is how the pathway is known. */
export const REFERRER_PRIORITY_SHORT: Record<ReferrerPriority, string> = {
  routine: 'Routine',
  urgent: 'Urgent',
  'urgent-suspected-cancer': 'USC',
};

export const IMAGE_VIEWS = ['distant', 'close-up', 'dermoscopic'] as const;
export type ImageView = (typeof IMAGE_VIEWS)[number];
export const IMAGE_VIEW_LABELS: Record<ImageView, string> = {
  distant: 'Distant',
  'close-up': 'Close-up',
  dermoscopic: 'Dermoscopic',
};

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const isoInstant = z.iso.datetime({ offset: true });

export const referralIdSchema = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/, 'not a FHIR id');
/**
 * The desk's id for an image: a Media's FHIR id as it is, a DocumentReference's with
 * "DocumentReference_" before it. "_" is never in a FHIR id, so a Media and a document that
 * share an id stay two images (the cache's image table makes these ids).
 */
export const imageIdSchema = z.string().regex(/^(DocumentReference_)?[A-Za-z0-9\-.]{1,64}$/, 'not an image id');

/** Where a referral stands for the desk. Withdrawn ones stay visible, marked, until they leave the queue. */
export const REFERRAL_STATES = ['awaiting-review', 'in-review', 'withdrawn'] as const;
export type ReferralState = (typeof REFERRAL_STATES)[number];

export const referralSummarySchema = z.object({
  referralId: referralIdSchema,
  state: z.enum(REFERRAL_STATES),
  /** Withdrawn because the server now addresses it to another service: which (else null). */
  sentTo: z.string().nullable(),
  /** The consultant reviewing it now, if anyone is. */
  heldBy: z.object({ practitionerId: z.string(), name: z.string() }).nullable(),
  patientName: z.string(),
  nhsNumber: z.string(),
  /** Null, as the sex, while the patient's record has not arrived from the server (patientMissing). */
  birthDate: isoDate.nullable(),
  sex: z.enum(SEXES).nullable(),
  /** The referral arrived but its Patient did not (yet): shown, flagged, and not signed until it does. */
  patientMissing: z.boolean(),
  referrerPriority: z.enum(REFERRER_PRIORITIES),
  receivedAt: isoInstant,
  dueDate: isoDate,
  /** The presenting complaint, as the GP gives it. */
  reason: z.string(),
  lesionSite: z.string(),
  imageCount: z.number().int().nonnegative(),
  /** A dermoscopic image came with the referral. */
  dermoscopySent: z.boolean(),
});
export type ReferralSummary = z.infer<typeof referralSummarySchema>;

/** A deep-zoom pyramid ready to serve: OpenSeadragon needs only these to ask for tiles. */
export const pyramidSchema = z.object({
  imageId: imageIdSchema,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  tileSize: z.number().int().positive(),
  overlap: z.number().int().nonnegative(),
});
export type Pyramid = z.infer<typeof pyramidSchema>;

export const imageSummarySchema = z.object({
  imageId: imageIdSchema,
  view: z.enum(IMAGE_VIEWS),
  bodySite: z.string(),
  capturedAt: isoInstant.nullable(),
  /** Pixels; 0 while unknown (an image sent as a document, before it is read). */
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** Why the desk refused this image's original (not an image, wrong type, too large), if it did. */
  problem: z.string().nullable(),
  /** Its deep-zoom pyramid once built, so the viewer can open without asking first. */
  pyramid: pyramidSchema.nullable(),
});
export type ImageSummary = z.infer<typeof imageSummarySchema>;

/** The three consents the GP's photographer records with the patient. */
export const CONSENT_KINDS = ['share-with-hospital', 'teaching-use', 'hospital-referral'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];
export const CONSENT_LABELS: Record<ConsentKind, string> = {
  'share-with-hospital': 'Images shared with the hospital',
  'teaching-use': 'Images used anonymously for training and education',
  'hospital-referral': 'Hospital may arrange an appointment',
};
/** The same, in a word or two: the consent strip always in view over a case. */
export const CONSENT_SHORT_LABELS: Record<ConsentKind, string> = {
  'share-with-hospital': 'Share images',
  'teaching-use': 'Teaching',
  'hospital-referral': 'Appointment',
};

/** A consent as the desk states it: yes, no, or not recorded (nothing came for it). */
export type ConsentAnswer = 'yes' | 'no' | 'unknown';
export function consentAnswer(consents: readonly { kind: ConsentKind; permitted: boolean }[], kind: ConsentKind): ConsentAnswer {
  const consent = consents.find((c) => c.kind === kind);
  return consent === undefined ? 'unknown' : consent.permitted ? 'yes' : 'no';
}

export const consentSchema = z.object({
  kind: z.enum(CONSENT_KINDS),
  permitted: z.boolean(),
  recordedAt: isoInstant.nullable(),
});
export type ConsentRecord = z.infer<typeof consentSchema>;

/** One question of the clinical questionnaire; answer null when it was left unanswered. */
export const questionnaireAnswerSchema = z.object({ linkId: z.string(), question: z.string(), answer: z.string().nullable() });
export type QuestionnaireAnswer = z.infer<typeof questionnaireAnswerSchema>;

/** An earlier referral of the same patient, for comparison over time. */
export const earlierReferralSchema = z.object({
  referralId: referralIdSchema,
  receivedAt: isoInstant,
  reason: z.string(),
  lesionSite: z.string(),
  images: z.array(imageSummarySchema),
});
export type EarlierReferral = z.infer<typeof earlierReferralSchema>;

export const caseDetailSchema = referralSummarySchema.extend({
  question: z.string(),
  referrerName: z.string(),
  practiceName: z.string(),
  images: z.array(imageSummarySchema),
  earlierReferrals: z.array(earlierReferralSchema),
  consents: z.array(consentSchema),
  questionnaire: z.array(questionnaireAnswerSchema),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

/**
 * Opening a case claims its review for the consultant. `mine`: claimed (or already held) by
 * this consultant; `held-by-other`: a colleague holds it, so it opens read-only; `not-claimed`:
 * the claim could not be made (offline, withdrawn, already reviewed), with the reason.
 */
export const claimSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('mine') }),
  z.object({ state: z.literal('held-by-other'), by: z.string() }),
  z.object({ state: z.literal('not-claimed'), reason: z.string() }),
]);
export type Claim = z.infer<typeof claimSchema>;


/** A case's image as a thumbnail: its pyramid once built, or why it cannot be shown. */
export const thumbnailSchema = z.object({
  imageId: imageIdSchema,
  pyramid: pyramidSchema.nullable(),
  problem: z.string().nullable(),
});
export type Thumbnail = z.infer<typeof thumbnailSchema>;
