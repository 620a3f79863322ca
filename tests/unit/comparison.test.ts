import { describe, expect, it } from 'vitest';
import { earlierComparison, nextImageComparison, pickedEarlierComparison } from '../../shared/domain/comparison';
import type { CaseDetail, EarlierReferral, ImageSummary } from '../../shared/domain/referral';

const image = (imageId: string, view: ImageSummary['view']): ImageSummary => ({
  imageId, view, bodySite: '', capturedAt: null, width: 100, height: 80, problem: null, pyramid: null,
});
const earlier = (referralId: string, receivedAt: string, lesionSite: string, images: ImageSummary[]): EarlierReferral => ({
  referralId, receivedAt, reason: 'Mole', lesionSite, images,
});
const detail = (images: ImageSummary[], earlierReferrals: EarlierReferral[], lesionSite = 'Upper back'): CaseDetail => ({
  referralId: 'ref-now', state: 'awaiting-review', heldBy: null, patientMissing: false, patientName: 'TEST, Patient', nhsNumber: '9990000018',
  birthDate: '1960-01-01', sex: 'female', referrerPriority: 'routine', receivedAt: '2026-11-23T10:00:00Z', dueDate: '2026-11-25',
  imageCount: images.length, dermoscopySent: images.some((i) => i.view === 'dermoscopic'), sentTo: null, reason: 'Mole', question: '', lesionSite, referrerName: '', practiceName: '',
  images, earlierReferrals, consents: [], questionnaire: [],
});

const NOW = [image('now-d', 'distant'), image('now-c', 'close-up'), image('now-x', 'dermoscopic')];

describe('what to compare an image with', () => {
  it.each([
    [0, 'now-c'],
    [1, 'now-x'],
    [2, 'now-d'], // wraps round to the first
  ])('c from image %i compares with %s', (index, expected) => {
    expect(nextImageComparison(detail(NOW, []), index)).toMatchObject({ kind: 'next', image: { imageId: expected } });
  });

  it('refuses c with only one image', () => {
    const chosen = nextImageComparison(detail([image('only', 'distant')], []), 0);
    expect('refused' in chosen ? chosen.refused : null).toMatch(/only one image/);
  });

  it.each([
    ['same site, same view, the most recent earlier referral', 1, 'upper back', 'recent-c'],
    ['same view missing: the earlier referral’s first image', 2, 'Upper Back ', 'recent-d'],
  ])('p: %s', (_, index, site, expected) => {
    const history = [
      earlier('old', '2025-01-10T10:00:00Z', site, [image('old-d', 'distant'), image('old-c', 'close-up')]),
      earlier('recent', '2025-09-10T10:00:00Z', site, [image('recent-d', 'distant'), image('recent-c', 'close-up')]),
      earlier('elsewhere', '2026-01-10T10:00:00Z', 'Left shin', [image('shin-c', 'close-up')]),
    ];
    expect(earlierComparison(detail(NOW, history), index)).toMatchObject({ kind: 'earlier', image: { imageId: expected }, receivedAt: '2025-09-10T10:00:00Z' });
  });

  it('p refuses when no earlier referral shows the same site, and skips one without images', () => {
    const elsewhere = [earlier('elsewhere', '2026-01-10T10:00:00Z', 'Left shin', [image('shin-c', 'close-up')])];
    expect(earlierComparison(detail(NOW, elsewhere), 0)).toEqual({ refused: 'No earlier referral of this patient shows upper back.' });
    const imageless = [
      earlier('old', '2025-01-10T10:00:00Z', 'Upper back', [image('old-d', 'distant')]),
      earlier('recent', '2025-09-10T10:00:00Z', 'Upper back', []),
    ];
    expect(earlierComparison(detail(NOW, imageless), 0)).toMatchObject({ referralId: 'old', image: { imageId: 'old-d' } });
  });

  it('compares with an earlier image picked from the list, whatever its site', () => {
    const history = [earlier('ref-2024', '2024-03-01T09:00:00Z', 'Left shin', [image('old-d', 'distant'), image('old-c', 'close-up')])];
    expect(pickedEarlierComparison(detail(NOW, history), 'ref-2024', 'old-c')).toEqual({
      kind: 'earlier', image: history[0]!.images[1], referralId: 'ref-2024', receivedAt: '2024-03-01T09:00:00Z',
    });
  });

  it.each([
    ['ref-2024', 'now-d', 'an image of this referral'],
    ['ref-other', 'old-c', 'a referral not among the earlier ones'],
  ])('refuses %s / %s (%s)', (referralId, imageId) => {
    const history = [earlier('ref-2024', '2024-03-01T09:00:00Z', 'Left shin', [image('old-c', 'close-up')])];
    expect(pickedEarlierComparison(detail(NOW, history), referralId, imageId)).toEqual({ refused: 'That image is not one of this patient’s earlier referrals.' });
  });
});
