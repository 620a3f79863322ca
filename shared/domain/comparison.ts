/**
 * What to compare an image with. `next`: the case's next image (c). `earlier`: the same site in
 * the patient's most recent earlier referral, the same view where there is one (p), or an image
 * of an earlier referral picked from its list. Pure, so the choice is tested apart from the screen.
 */
import type { CaseDetail, ImageSummary } from './referral';

export interface Comparison {
  kind: 'next' | 'earlier';
  image: ImageSummary;
  /** The referral the second image belongs to, and when it was received if it is an earlier one. */
  referralId: string;
  receivedAt: string | null;
}

const sameSite = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase() && a.trim() !== '';

export function nextImageComparison(detail: CaseDetail, index: number): Comparison | { refused: string } {
  if (detail.images.length < 2) return { refused: 'This referral has only one image: nothing to compare it with.' };
  const next = detail.images[(index + 1) % detail.images.length];
  if (!next) return { refused: 'This referral has no images.' };
  return { kind: 'next', image: next, referralId: detail.referralId, receivedAt: null };
}

export function earlierComparison(detail: CaseDetail, index: number): Comparison | { refused: string } {
  const current = detail.images[index];
  const earlier = [...detail.earlierReferrals]
    .filter((e) => sameSite(e.lesionSite, detail.lesionSite) && e.images.length > 0)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))[0];
  if (!earlier) {
    const site = detail.lesionSite.trim() || 'this site';
    return { refused: `No earlier referral of this patient shows ${site.toLowerCase()}.` };
  }
  const image = earlier.images.find((i) => i.view === current?.view) ?? earlier.images[0];
  if (!image) return { refused: 'The earlier referral has no images.' };
  return { kind: 'earlier', image, referralId: earlier.referralId, receivedAt: earlier.receivedAt };
}

/** A chosen image of one of the patient's earlier referrals (picked from the list of them). */
export function pickedEarlierComparison(detail: CaseDetail, referralId: string, imageId: string): Comparison | { refused: string } {
  const earlier = detail.earlierReferrals.find((e) => e.referralId === referralId);
  const image = earlier?.images.find((i) => i.imageId === imageId);
  if (!earlier || !image) return { refused: 'That image is not one of this patient’s earlier referrals.' };
  return { kind: 'earlier', image, referralId: earlier.referralId, receivedAt: earlier.receivedAt };
}
