/**
 * The patient's earlier referrals, each with its images: a thumbnail where the image's pyramid
 * is already built, else the view's name. Choosing one shows it beside the image on screen,
 * zoom and pan locked, as p does for the same site. Nothing is built here: the comparison
 * builds what it shows.
 */
import { IMAGE_VIEW_LABELS, type CaseDetail } from '../../../../shared/domain/referral';
import { thumbnailLevel, tileUrl } from '../../../../shared/domain/tile-address';
import { formatBirthDate } from '../../app/format';
import { useDesk } from '../../store/desk-store';

export function EarlierReferrals({ detail }: { detail: CaseDetail }): React.JSX.Element | null {
  const tileBaseUrl = useDesk((s) => s.info?.tileBaseUrl);
  const shownBeside = useDesk((s) => s.compare?.image.imageId);
  if (detail.earlierReferrals.length === 0) return null;
  return (
    <>
      <h2>Earlier referrals</h2>
      <ul className="earlier">
        {detail.earlierReferrals.map((e) => {
          const received = formatBirthDate(e.receivedAt.slice(0, 10));
          return (
            <li key={e.referralId}>
              <strong>{received}</strong> {e.reason}
              <small>{e.lesionSite}, {e.images.length} image{e.images.length === 1 ? '' : 's'}</small>
              {e.images.length > 0 && (
                <div className="earlier-images">
                  {e.images.map((image) => (
                    <button
                      key={image.imageId}
                      type="button"
                      tabIndex={-1}
                      aria-pressed={shownBeside === image.imageId}
                      aria-label={`Compare with the ${IMAGE_VIEW_LABELS[image.view].toLowerCase()} image of ${received}`}
                      title={`Compare with the ${IMAGE_VIEW_LABELS[image.view].toLowerCase()} image of ${received}`}
                      onClick={() => useDesk.getState().compareWithEarlier(e.referralId, image.imageId)}
                    >
                      {image.pyramid && tileBaseUrl && !image.problem ? (
                        <img alt="" data-image-id={image.imageId} src={tileUrl(tileBaseUrl, { imageId: image.imageId, level: thumbnailLevel(image.pyramid), col: 0, row: 0 })} />
                      ) : (
                        <span>{IMAGE_VIEW_LABELS[image.view]}</span>
                      )}
                    </button>
                  ))}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
