import { describe, expect, it } from 'vitest';
import { completenessWarnings, type CompletenessInput } from '../../shared/domain/completeness';

const image = (view: 'distant' | 'close-up' | 'dermoscopic', width = 4000, height = 3000, problem: string | null = null) => ({ view, width, height, problem });
const answers = (...linkIds: string[]) => linkIds.map((linkId) => ({ linkId, question: linkId, answer: 'yes' }));
const full: CompletenessInput = {
  reason: 'Changing pigmented lesion',
  images: [image('distant'), image('close-up'), image('dermoscopic')],
  questionnaire: answers('duration', 'changing', 'bleeding', 'skin-cancer-history', 'fitzpatrick'),
};

describe('completeness warnings', () => {
  it('has nothing to say about a complete referral', () => {
    expect(completenessWarnings(full)).toEqual([]);
  });

  it.each([
    ['no dermoscopy of a pigmented lesion', { images: [image('distant'), image('close-up')] }, ['No dermoscopic image of a pigmented lesion.']],
    ['no dermoscopy of a scaly patch', { reason: 'Scaly lesion on sun-exposed skin', images: [image('distant'), image('close-up')] }, ['No dermoscopic image.']],
    ['no distant view', { images: [image('close-up'), image('dermoscopic')] }, ['No distant (localising) image: the site cannot be confirmed.']],
    ['no images at all', { images: [] }, ['No dermoscopic image of a pigmented lesion.', 'No distant (localising) image: the site cannot be confirmed.', 'No close-up image.']],
    ['a refused dermoscopic image', { images: [image('distant'), image('close-up'), image('dermoscopic', 4000, 3000, 'not an image')] }, [
      'No dermoscopic image of a pigmented lesion.',
      '1 image could not be shown.',
    ]],
    ['a small image', { images: [image('distant'), image('close-up', 800, 600), image('dermoscopic')] }, ['1 image is below 1000 pixels on the short side.']],
    ['a document not yet read (size unknown)', { images: [image('distant', 0, 0), image('close-up'), image('dermoscopic')] }, []],
    ['unanswered key questions', { questionnaire: [...answers('changing', 'skin-cancer-history'), { linkId: 'duration', question: 'd', answer: ' ' }] }, [
      'Not answered: how long the lesion has been present; bleeding, itching or ulceration.',
    ]],
  ] as const)('warns of %s', (_what, change, expected) => {
    expect(completenessWarnings({ ...full, ...change })).toEqual(expected);
  });
});
