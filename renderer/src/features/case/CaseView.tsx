/** One referral: the patient banner, what the GP asks, and the images. Esc goes back. */
import { IMAGE_VIEW_LABELS, type CaseDetail } from '../../../../shared/domain/referral';
import { useDesk } from '../../store/desk-store';
import { useKeymap } from '../keyboard/useKeymap';
import { DeepZoomViewer } from '../viewer/DeepZoomViewer';
import { OUTCOME_PANEL_ID, OutcomePanel } from '../outcome/OutcomePanel';
import { useOutcomeKeys, useUserTemplateBindings } from '../outcome/useOutcomeKeys';
import { ClaimBanner } from './ClaimBanner';
import { PatientBanner } from './PatientBanner';
import { ReferralDetails } from './ReferralDetails';

export function CaseView({ detail }: { detail: CaseDetail }): React.JSX.Element {
  const imageIndex = useDesk((s) => s.imageIndex);
  const { closeCase, stepImage } = useDesk.getState();
  const image = detail.images[imageIndex];

  useKeymap('case', {
    ...useOutcomeKeys(detail),
    'case.back': closeCase,
    'help.open': () => useDesk.setState({ helpOpen: true }),
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
        <ReferralDetails detail={detail} />
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
