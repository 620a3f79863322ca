/**
 * Is the referral complete enough to decide on? Checked up front, because about one referral in
 * sixteen is returned for a missing or poor photograph or a thin history.
 */
import type { ImageSummary, QuestionnaireAnswer } from './referral';

export interface CompletenessInput {
  reason: string;
  images: readonly Pick<ImageSummary, 'view' | 'width' | 'height' | 'problem'>[];
  questionnaire: readonly QuestionnaireAnswer[];
}

/** Below this many pixels on the short side a lesion's detail is lost. */
export const RESOLUTION_FLOOR_PX = 1000;

/** Questions a decision leans on; unanswered, the history is thin. */
export const KEY_QUESTIONS: Readonly<Record<string, string>> = {
  duration: 'how long the lesion has been present',
  changing: 'whether it has changed in size, shape or colour',
  bleeding: 'bleeding, itching or ulceration',
  'skin-cancer-history': 'personal or family history of skin cancer',
};

const PIGMENTED = /pigment|mole|naev|nev|melan|dark|brown|black/i;

export function completenessWarnings(input: CompletenessInput): string[] {
  const warnings: string[] = [];
  const views = new Set(input.images.filter((i) => !i.problem).map((i) => i.view));
  const pigmented = PIGMENTED.test(input.reason);

  if (!views.has('dermoscopic')) {
    warnings.push(pigmented ? 'No dermoscopic image of a pigmented lesion.' : 'No dermoscopic image.');
  }
  if (!views.has('distant')) warnings.push('No distant (localising) image: the site cannot be confirmed.');
  if (!views.has('close-up')) warnings.push('No close-up image.');

  const refused = input.images.filter((i) => i.problem).length;
  if (refused > 0) warnings.push(`${refused} image${refused === 1 ? '' : 's'} could not be shown.`);

  const small = input.images.filter((i) => !i.problem && i.width > 0 && Math.min(i.width, i.height) < RESOLUTION_FLOOR_PX).length;
  if (small > 0) warnings.push(`${small} image${small === 1 ? ' is' : 's are'} below ${RESOLUTION_FLOOR_PX} pixels on the short side.`);

  const answered = new Set(input.questionnaire.filter((q) => q.answer !== null && q.answer.trim() !== '').map((q) => q.linkId));
  const missing = Object.entries(KEY_QUESTIONS).filter(([linkId]) => !answered.has(linkId)).map(([, about]) => about);
  if (missing.length > 0) warnings.push(`Not answered: ${missing.join('; ')}.`);
  return warnings;
}
