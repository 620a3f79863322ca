import { describe, expect, it } from 'vitest';
import type { ConsentRecord, ImageSummary } from '../../shared/domain/referral';
import {
  decideTeachingExport,
  fitzpatrickSkinType,
  teachingBodySite,
  teachingExportRequestSchema,
  teachingImageFacts,
  teachingImageFactsSchema,
} from '../../shared/domain/teaching-export';

const at = '2026-03-02T10:15:00Z';
const consent = (kind: ConsentRecord['kind'], permitted: boolean): ConsentRecord => ({ kind, permitted, recordedAt: at });
const others = [consent('share-with-hospital', true), consent('hospital-referral', true)];
const yes = [...others, consent('teaching-use', true)];
const no = [...others, consent('teaching-use', false)];

const images: Pick<ImageSummary, 'imageId' | 'view' | 'problem'>[] = [
  { imageId: 'media-1', view: 'distant', problem: null },
  { imageId: 'media-2', view: 'close-up', problem: null },
  { imageId: 'media-3', view: 'dermoscopic', problem: 'images must be JPEG or PNG, not tiff' },
];

describe('teaching export rule', () => {
  it.each([
    ['consent yes, one image', yes, ['media-2'], { allowed: true, imageIds: ['media-2'] }],
    ['consent yes, two images, one chosen twice', yes, ['media-1', 'media-2', 'media-1'], { allowed: true, imageIds: ['media-1', 'media-2'] }],
    ['consent no', no, ['media-1'], /did not consent to their images being used for teaching/],
    ['consent no, nothing chosen (consent is the reason that matters)', no, [], /did not consent/],
    ['consent not recorded', others, ['media-1'], /consent to teaching use is not recorded/],
    ['no consents at all', [], ['media-1'], /consent to teaching use is not recorded/],
    ['consent recorded yes and no', [...yes, consent('teaching-use', false)], ['media-1'], /both as yes and as no/],
    ['other consents yes do not stand in for it', [...others, consent('share-with-hospital', true)], ['media-1'], /not recorded/],
    ['no image chosen', yes, [], /no image was chosen/],
    ['an image of another referral', yes, ['media-1', 'media-0099-1'], /not one of this referral's images/],
    ['an image the desk refused', yes, ['media-3'], /image 3 \(Dermoscopic\) was refused by the desk: images must be JPEG or PNG/],
    ['a withdrawn referral, even with consent', yes, ['media-1'], /the referrer has withdrawn this referral/],
  ] as const)('%s', (name, consents, selected, expected) => {
    const decision = decideTeachingExport({ withdrawn: name.startsWith('a withdrawn'), consents, images, selected });
    if (expected instanceof RegExp) {
      expect(decision.allowed).toBe(false);
      expect(!decision.allowed && decision.reason).toMatch(expected);
      expect(!decision.allowed && decision.reason).toMatch(/^Not exported for teaching: /);
    } else {
      expect(decision).toEqual(expected);
    }
  });

  it('takes at most 16 images and only FHIR ids across IPC', () => {
    const ok = { referralId: 'ref-0001', imageIds: ['media-0001-1'] };
    expect(teachingExportRequestSchema.safeParse(ok).success).toBe(true);
    expect(teachingExportRequestSchema.safeParse({ ...ok, imageIds: Array.from({ length: 17 }, (_, i) => `media-${i}`) }).success).toBe(false);
    expect(teachingExportRequestSchema.safeParse({ ...ok, imageIds: ['../../etc/passwd'] }).success).toBe(false);
    expect(teachingExportRequestSchema.safeParse({ ...ok, folder: '/tmp' }).success).toBe(false);
  });
});

describe('teaching manifest facts', () => {
  const file = `${'ab'.repeat(16)}.jpg`;

  it('keeps only the body region, the view, the skin type and a coded diagnosis', () => {
    const facts = teachingImageFacts({
      file,
      image: { view: 'dermoscopic', bodySite: 'Left forearm, near Mrs Jones\'s scar from 12/03/2019' },
      lesionSite: 'Left forearm',
      questionnaire: [{ linkId: 'fitzpatrick', question: 'Fitzpatrick skin type', answer: '4' }],
      diagnosisCode: '400096001',
      width: 3000,
      height: 4000,
    });
    expect(facts).toEqual({
      file, view: 'dermoscopic', viewLabel: 'Dermoscopic', bodySite: 'Forearm, left', fitzpatrickSkinType: 4,
      diagnosis: { snomedCt: '400096001', display: 'Melanocytic naevus' }, width: 3000, height: 4000,
    });
    expect(JSON.stringify(facts)).not.toMatch(/Jones|2019|scar/);
    expect(teachingImageFactsSchema.safeParse(facts).success).toBe(true);
  });

  it('leaves out what it cannot state safely: uncoded diagnoses, unplaced sites, odd skin types', () => {
    const facts = teachingImageFacts({
      file, image: { view: 'close-up', bodySite: '' }, lesionSite: 'See letter from Dr Patel', questionnaire: [],
      diagnosisCode: '123456789', width: 10, height: 10,
    });
    expect(facts).toMatchObject({ bodySite: null, fitzpatrickSkinType: null, diagnosis: null });
    expect(teachingImageFacts({ file, image: { view: 'close-up', bodySite: '' }, lesionSite: 'Nasal tip', questionnaire: [], diagnosisCode: null, width: 1, height: 1 }).bodySite).toBe('Nose');
  });

  it.each([
    ['4', 4], ['IV', 4], [' vi ', 6], ['1', 1], ['7', null], ['type 3', null], [null, null],
  ] as const)('reads skin type %s as %s', (answer, type) => {
    expect(fitzpatrickSkinType([{ linkId: 'fitzpatrick', question: 'Fitzpatrick skin type', answer }])).toBe(type);
  });

  it.each([
    ['Right cheek', 'Cheek, right'], ['Upper back', 'Upper back'], ['Dorsum of right hand', 'Back of hand, right'], ['somewhere', null],
  ])('places %s as %s', (site, expected) => {
    expect(teachingBodySite(site)).toBe(expected);
  });
});
