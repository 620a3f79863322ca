/**
 * Two images side by side, zoom and pan locked together: the case's image and the next one (c),
 * or the same site in an earlier referral of this patient (p). The viewer keys drive the left
 * one; the right follows, as it does a drag or wheel in either.
 */
import { useState } from 'react';
import type { Comparison } from '../../../../shared/domain/comparison';
import { IMAGE_VIEW_LABELS, type CaseDetail, type ImageSummary } from '../../../../shared/domain/referral';
import { formatBirthDate } from '../../app/format';
import { DeepZoomViewer } from './DeepZoomViewer';
import { createViewLock } from './view-lock';

const labelOf = (detail: CaseDetail, image: ImageSummary): string =>
  `${detail.images.findIndex((i) => i.imageId === image.imageId) + 1}. ${IMAGE_VIEW_LABELS[image.view]}`;

export function ComparePane({ detail, image, comparison }: { detail: CaseDetail; image: ImageSummary; comparison: Comparison }): React.JSX.Element {
  const [lock] = useState(createViewLock);
  const other =
    comparison.kind === 'next'
      ? labelOf(detail, comparison.image)
      : `Earlier referral, received ${comparison.receivedAt ? formatBirthDate(comparison.receivedAt.slice(0, 10)) : 'before'}: ${IMAGE_VIEW_LABELS[comparison.image.view]}`;
  return (
    <div className="compare" aria-label="Comparing two images">
      <DeepZoomViewer key={`this-${image.imageId}`} image={image} lock={lock} caption={`This referral: ${labelOf(detail, image)}`} />
      <DeepZoomViewer key={`other-${comparison.image.imageId}`} image={comparison.image} keys={false} lock={lock} caption={other} />
    </div>
  );
}
