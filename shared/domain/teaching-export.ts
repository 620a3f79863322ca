/**
 * Teaching export: a referral's images leave the desk for training and education only
 * when the patient consented to teaching use, only images of that referral, and only anonymised.
 * This file holds the decision and what a teaching manifest may say; the main process does the
 * fetching, re-encoding and writing. Pure, so both are tested apart from the files they guard.
 */
import { z } from 'zod';
import { diagnosisByCode } from '../outcome/diagnoses';
import { placeLesionSite } from './body-map';
import { IMAGE_VIEW_LABELS, IMAGE_VIEWS, imageIdSchema, referralIdSchema, type ConsentRecord, type ImageSummary, type QuestionnaireAnswer } from './referral';

/** A referral has 3–8 images; twice that is room enough without being unbounded. */
export const MAX_TEACHING_IMAGES = 16;

export const teachingExportRequestSchema = z
  .object({
    referralId: referralIdSchema,
    // Empty is allowed through so the consultant hears "no image was chosen" from the rule.
    imageIds: z.array(imageIdSchema).max(MAX_TEACHING_IMAGES),
  })
  .strict();
export type TeachingExportRequest = z.infer<typeof teachingExportRequestSchema>;

/** Export file names: random, so nothing about the patient, referral, image or day is in them. */
export const TEACHING_FILE_NAME = /^[0-9a-f]{32}\.jpg$/;
export const TEACHING_FOLDER_NAME = /^teaching-[0-9a-f]{16}$/;

export const teachingExportResultSchema = z.discriminatedUnion('state', [
  z.object({
    state: z.literal('exported'),
    count: z.number().int().positive(),
    /** The export's own folder (absolute path), inside the desk's teaching export folder. */
    folder: z.string(),
    files: z.array(z.string().regex(TEACHING_FILE_NAME)),
  }),
  z.object({ state: z.literal('refused'), reason: z.string() }),
]);
export type TeachingExportResult = z.infer<typeof teachingExportResultSchema>;

export type TeachingDecision = { allowed: true; imageIds: string[] } | { allowed: false; reason: string };

export interface TeachingExportInput {
  /** The referrer withdrew the referral (perhaps because it was the wrong patient's images). */
  withdrawn: boolean;
  consents: readonly ConsentRecord[];
  images: readonly Pick<ImageSummary, 'imageId' | 'view' | 'problem'>[];
  selected: readonly string[];
}

const NOT_EXPORTED = 'Not exported for teaching:';

/**
 * Whether the chosen images may be exported for teaching, or why not. A withdrawn referral is
 * never exported; then consent is judged, the reason that matters whatever was chosen.
 */
export function decideTeachingExport({ withdrawn, consents, images, selected }: TeachingExportInput): TeachingDecision {
  if (withdrawn) return { allowed: false, reason: `${NOT_EXPORTED} the referrer has withdrawn this referral.` };
  const teaching = consents.filter((c) => c.kind === 'teaching-use');
  if (teaching.length === 0) {
    return { allowed: false, reason: `${NOT_EXPORTED} the patient's consent to teaching use is not recorded for this referral, and images are used for teaching only with it.` };
  }
  const yes = teaching.filter((c) => c.permitted).length;
  if (yes > 0 && yes < teaching.length) {
    // A "no" beside a "yes" may be a withdrawal: never guess in favour of export.
    return { allowed: false, reason: `${NOT_EXPORTED} this referral's teaching consent is recorded both as yes and as no. Ask the referrer which stands.` };
  }
  if (yes === 0) {
    return { allowed: false, reason: `${NOT_EXPORTED} the patient did not consent to their images being used for teaching (recorded as no).` };
  }
  const chosen = [...new Set(selected)];
  if (chosen.length === 0) return { allowed: false, reason: `${NOT_EXPORTED} no image was chosen.` };
  for (const imageId of chosen) {
    const index = images.findIndex((i) => i.imageId === imageId);
    const image = images[index];
    if (!image) return { allowed: false, reason: `${NOT_EXPORTED} an image chosen is not one of this referral's images.` };
    if (image.problem) {
      return { allowed: false, reason: `${NOT_EXPORTED} image ${index + 1} (${IMAGE_VIEW_LABELS[image.view]}) was refused by the desk: ${image.problem}` };
    }
  }
  return { allowed: true, imageIds: chosen };
}

/**
 * What a teaching manifest says about one image: only facts that teach and cannot identify.
 * The site is the body map's region and side, never the GP's words; the diagnosis only a coded
 * one by its standard name, never the consultant's free text (either could hold a name).
 */
export const teachingImageFactsSchema = z
  .object({
    file: z.string().regex(TEACHING_FILE_NAME),
    view: z.enum(IMAGE_VIEWS),
    viewLabel: z.string(),
    bodySite: z.string().nullable(),
    fitzpatrickSkinType: z.number().int().min(1).max(6).nullable(),
    diagnosis: z.object({ snomedCt: z.string().regex(/^\d{6,18}$/), display: z.string() }).strict().nullable(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  })
  .strict();
export type TeachingImageFacts = z.infer<typeof teachingImageFactsSchema>;

export const TEACHING_MANIFEST_ABOUT =
  'Derm Review Desk teaching export: anonymised images, exported with the patient\'s consent to teaching use. ' +
  'No names, NHS numbers, dates, addresses, practices or record ids; image metadata removed.';

export const teachingManifestSchema = z
  .object({ about: z.literal(TEACHING_MANIFEST_ABOUT), images: z.array(teachingImageFactsSchema).min(1) })
  .strict();
export type TeachingManifest = z.infer<typeof teachingManifestSchema>;

const ROMAN_SKIN_TYPES = ['I', 'II', 'III', 'IV', 'V', 'VI'];

/** The Fitzpatrick type from the questionnaire, if answered as 1–6 or I–VI; anything else is left out. */
export function fitzpatrickSkinType(questionnaire: readonly QuestionnaireAnswer[]): number | null {
  const answer = questionnaire.find((q) => q.linkId === 'fitzpatrick')?.answer?.trim().toUpperCase() ?? '';
  if (/^[1-6]$/.test(answer)) return Number(answer);
  const roman = ROMAN_SKIN_TYPES.indexOf(answer);
  return roman >= 0 ? roman + 1 : null;
}

/** "Forearm, left" from "Left forearm"; null when the body map cannot place the words. */
export function teachingBodySite(site: string): string | null {
  const placed = placeLesionSite(site);
  if (!placed) return null;
  return placed.side ? `${placed.region.label}, ${placed.side}` : placed.region.label;
}

export interface TeachingFactsInput {
  file: string;
  image: Pick<ImageSummary, 'view' | 'bodySite'>;
  /** The referral's lesion site, for images that carry no site of their own (documents). */
  lesionSite: string;
  questionnaire: readonly QuestionnaireAnswer[];
  /** The SNOMED CT code of the consultant's signed working diagnosis, if any. */
  diagnosisCode: string | null;
  /** The exported picture's size, upright. */
  width: number;
  height: number;
}

export function teachingImageFacts(input: TeachingFactsInput): TeachingImageFacts {
  const coded = input.diagnosisCode ? diagnosisByCode(input.diagnosisCode) : undefined;
  return {
    file: input.file,
    view: input.image.view,
    viewLabel: IMAGE_VIEW_LABELS[input.image.view],
    bodySite: teachingBodySite(input.image.bodySite || input.lesionSite),
    fitzpatrickSkinType: fitzpatrickSkinType(input.questionnaire),
    diagnosis: coded ? { snomedCt: coded.code, display: coded.display } : null,
    width: input.width,
    height: input.height,
  };
}
