/** One referral: the patient and referral banners, what the GP sent, the images and the outcome. Esc goes back. */
import type { CaseDetail } from '../../../../shared/domain/referral';
import { useDesk } from '../../store/desk-store';
import { OVERLAY_KEYS } from '../keyboard/overlay-keys';
import { useKeymap } from '../keyboard/useKeymap';
import { ComparePane } from '../viewer/ComparePane';
import { DeepZoomViewer } from '../viewer/DeepZoomViewer';
import { ThumbnailStrip } from '../viewer/ThumbnailStrip';
import { OUTCOME_PANEL_ID, OutcomePanel } from '../outcome/OutcomePanel';
import { useOutcomeKeys, useUserTemplateBindings } from '../outcome/useOutcomeKeys';
import { ClaimBanner } from './ClaimBanner';
import { exportImageForTeaching } from './export-for-teaching';
import { useNeighbourPreload } from './useNeighbourPreload';
import { PatientBanner } from './PatientBanner';
import { ReferralBanner } from './ReferralBanner';
import { CONSENTS_ID, goToSection, QUESTIONNAIRE_ID, ReferralDetails } from './ReferralDetails';

export function CaseView({ detail }: { detail: CaseDetail }): React.JSX.Element {
  const imageIndex = useDesk((s) => s.imageIndex);
  const compare = useDesk((s) => s.compare);
  const notice = useDesk((s) => s.notice);
  const { closeCase, stepImage, toggleCompare, openAdjacent } = useDesk.getState();
  const image = detail.images[imageIndex];

  useNeighbourPreload(detail.referralId);

  useKeymap('case', {
    ...useOutcomeKeys(detail),
    // Esc leaves a comparison first, then the case.
    'case.back': () => (useDesk.getState().compare ? toggleCompare(useDesk.getState().compare?.kind ?? 'next') : closeCase()),
    'case.nextCase': () => void openAdjacent(1),
    'case.previousCase': () => void openAdjacent(-1),
    'viewer.compare': () => toggleCompare('next'),
    'viewer.compareEarlier': () => toggleCompare('earlier'),
    ...OVERLAY_KEYS,
    'case.nextImage': () => stepImage(1),
    'case.previousImage': () => stepImage(-1),
    'case.exportForTeaching': () => void exportImageForTeaching(),
    'case.consents': () => goToSection(CONSENTS_ID),
    'case.questionnaire': () => goToSection(QUESTIONNAIRE_ID),
    'outcome.focus': () => {
      const panel = document.getElementById(OUTCOME_PANEL_ID);
      // The chosen kind, else the first; the panel itself when there is no form (signed, read-only).
      const kind = panel?.querySelector<HTMLElement>('[role="radio"][aria-checked="true"]') ?? panel?.querySelector<HTMLElement>('[role="radio"], button');
      (kind ?? panel)?.focus();
    },
  }, 'case', useUserTemplateBindings());

  return (
    <div className="case">
      <PatientBanner detail={detail} />
      <ReferralBanner detail={detail} />
      {detail.state === 'withdrawn' ? (
        <div className="withdrawn-banner" role="alert">
          {detail.sentTo
            ? `This referral has been sent to another service (${detail.sentTo}): it is no longer this desk's. Nothing will be sent for it.`
            : 'The referrer has withdrawn this referral. Nothing will be sent for it.'}
        </div>
      ) : (
        <ClaimBanner />
      )}
      <div className="case-body">
        {/* Keyed by referral (each key its own among siblings): each case opens at its top, its warnings in view, not where the last was scrolled. */}
        <ReferralDetails key={`details-${detail.referralId}`} detail={detail} />
        <section className="images" aria-label="Images">
          {notice && <p className="viewer-notice" role="status">{notice}</p>}
          {image && compare ? (
            <ComparePane detail={detail} image={image} comparison={compare} />
          ) : image ? (
            <DeepZoomViewer key={image.imageId} image={image} />
          ) : (
            <p className="empty">This referral has no images.</p>
          )}
          <ThumbnailStrip detail={detail} current={imageIndex} />
        </section>
        <OutcomePanel key={`outcome-${detail.referralId}`} detail={detail} />
      </div>
    </div>
  );
}
