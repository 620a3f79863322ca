/**
 * The case's images as a strip of thumbnails ([ and ] step through them). Each thumbnail is the
 * pyramid's one-tile level, so it costs one small JPEG; until the pyramid is built the strip
 * shows the view's name, and an image that cannot be shown says so.
 */
import { useEffect, useRef, useState } from 'react';
import { IMAGE_VIEW_LABELS, type CaseDetail, type Thumbnail } from '../../../../shared/domain/referral';
import { thumbnailLevel, tileUrl } from '../../../../shared/domain/tile-address';
import { desk } from '../../desk';
import { useDesk } from '../../store/desk-store';

export function ThumbnailStrip({ detail, current }: { detail: CaseDetail; current: number }): React.JSX.Element {
  const tileBaseUrl = useDesk((s) => s.info?.tileBaseUrl);
  const [thumbnails, setThumbnails] = useState<{ referralId: string; list: ReadonlyMap<string, Thumbnail> } | null>(null);

  useEffect(() => {
    let open = true;
    desk()['case.thumbnails']({ referralId: detail.referralId }).then(
      (list) => open && setThumbnails({ referralId: detail.referralId, list: new Map(list.map((t) => [t.imageId, t])) }),
      () => undefined, // the strip keeps its labels; the viewer says why an image cannot be shown
    );
    return () => {
      open = false;
    };
  }, [detail.referralId]);

  const currentButton = useRef<HTMLButtonElement>(null);
  // Braces: Chromium's scrollIntoView now returns a promise, which an effect must not return.
  useEffect(() => {
    currentButton.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [current]);

  const known = thumbnails?.referralId === detail.referralId ? thumbnails.list : null;
  return (
    <nav className="image-strip" aria-label="Images in this referral">
      {detail.images.map((img, index) => {
        const thumb = known?.get(img.imageId);
        const problem = img.problem ?? thumb?.problem ?? null;
        const pyramid = thumb?.pyramid;
        return (
          <button
            key={img.imageId}
            ref={index === current ? currentButton : undefined}
            type="button"
            tabIndex={-1}
            className={[index === current && 'current', problem && 'refused'].filter(Boolean).join(' ') || undefined}
            aria-current={index === current}
            title={problem ?? undefined}
            onClick={() => useDesk.setState({ imageIndex: index })}
          >
            <span className="thumb">
              {pyramid && tileBaseUrl && !problem ? (
                <img alt="" data-image-id={img.imageId} src={tileUrl(tileBaseUrl, { imageId: img.imageId, level: thumbnailLevel(pyramid), col: 0, row: 0 })} />
              ) : (
                <span className="thumb-empty">{problem ? '✕' : '…'}</span>
              )}
            </span>
            <span className="thumb-label">
              {index + 1}. {IMAGE_VIEW_LABELS[img.view]}
              <small>{problem ? 'Cannot be shown' : img.width > 0 ? `${img.width}×${img.height}` : pyramid ? `${pyramid.width}×${pyramid.height}` : 'Size not yet known'}</small>
            </span>
          </button>
        );
      })}
    </nav>
  );
}
