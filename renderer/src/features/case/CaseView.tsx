/** One referral: the patient banner, what the GP asks, and the images. Esc goes back. */
import { IMAGE_VIEW_LABELS, REFERRER_PRIORITY_LABELS, type CaseDetail } from '../../../../shared/domain/referral';
import { formatBirthDate, formatDay, formatReceived } from '../../app/format';
import { useDesk } from '../../store/desk-store';
import { useKeymap } from '../keyboard/useKeymap';
import { DeepZoomViewer } from '../viewer/DeepZoomViewer';
import { OUTCOME_PANEL_ID, OutcomePanel } from '../outcome/OutcomePanel';
import { useOutcomeKeys, useUserTemplateBindings } from '../outcome/useOutcomeKeys';
import { ClaimBanner } from './ClaimBanner';
import { PatientBanner } from './PatientBanner';

export function CaseView({ detail }: { detail: CaseDetail }): React.JSX.Element {
  const imageIndex = useDesk((s) => s.imageIndex);
  const { closeCase, stepImage } = useDesk.getState();
  const image = detail.images[imageIndex];

  useKeymap('case', {
    ...useOutcomeKeys(detail),
    'case.back': closeCase,
    'case.nextImage': () => stepImage(1),
    'case.previousImage': () => stepImage(-1),
    'outcome.focus': () => {
      const panel = document.getElementById(OUTCOME_PANEL_ID);
      (panel?.querySelector<HTMLElement>('[role="radio"][aria-checked="true"], [role="radio"], button') ?? panel)?.focus();
    },
  }, 'case', useUserTemplateBindings());

  return (
    <div className="case">
      <PatientBanner detail={detail} />
      {detail.state === 'withdrawn' ? (
        <div className="withdrawn-banner" role="alert">
          The referrer has withdrawn this referral. Nothing will be sent for it.
        </div>
      ) : (
        <ClaimBanner />
      )}
      <div className="case-body">
        <aside className="referral">
          <h2>Referral</h2>
          <dl>
            <dt>Referrer priority</dt>
            <dd><span className={`badge priority-${detail.referrerPriority}`}>{REFERRER_PRIORITY_LABELS[detail.referrerPriority]}</span></dd>
            <dt>Reason</dt>
            <dd>{detail.reason || 'Not given'}</dd>
            <dt>Question from the GP</dt>
            <dd>{detail.question || 'Not given'}</dd>
            <dt>Lesion site</dt>
            <dd>{detail.lesionSite || 'Not given'}</dd>
            <dt>Referred by</dt>
            <dd>{detail.referrerName || 'Unknown'}{detail.practiceName && `, ${detail.practiceName}`}</dd>
            <dt>Received</dt>
            <dd>{formatReceived(detail.receivedAt)}</dd>
            <dt>Review due</dt>
            <dd>{formatDay(detail.dueDate)}</dd>
          </dl>
          {detail.earlierReferrals.length > 0 && (
            <>
              <h2>Earlier referrals</h2>
              <ul className="earlier">
                {detail.earlierReferrals.map((e) => (
                  <li key={e.referralId}>
                    <strong>{formatBirthDate(e.receivedAt.slice(0, 10))}</strong> {e.reason}
                    <small>{e.lesionSite}, {e.images.length} image{e.images.length === 1 ? '' : 's'}</small>
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
        <section className="images" aria-label="Images">
          {image ? <DeepZoomViewer key={image.imageId} image={image} /> : <p className="empty">This referral has no images.</p>}
          <nav className="image-strip" aria-label="Images in this referral">
            {detail.images.map((img, index) => (
              <button
                key={img.imageId}
                type="button"
                className={[index === imageIndex && 'current', img.problem && 'refused'].filter(Boolean).join(' ') || undefined}
                aria-current={index === imageIndex}
                title={img.problem ?? undefined}
                onClick={() => useDesk.setState({ imageIndex: index })}
              >
                {index + 1}. {IMAGE_VIEW_LABELS[img.view]}
                <small>{img.problem ? 'Cannot be shown' : img.width > 0 ? `${img.width}×${img.height}` : 'Size not yet known'}</small>
              </button>
            ))}
          </nav>
        </section>
        <OutcomePanel detail={detail} />
      </div>
    </div>
  );
}
