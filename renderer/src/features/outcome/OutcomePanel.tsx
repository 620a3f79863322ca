/**
 * The outcome side of a case: the form while deciding, the signed outcome after. Its own key
 * scope, so that Esc leaves the form; the outcome keys (kinds, urgency, templates, sign) work
 * here and over the images alike.
 */
import type { CaseDetail } from '../../../../shared/domain/referral';
import { countsForReferral } from '../../../../shared/outcome/outcome';
import { useDesk } from '../../store/desk-store';
import { useOutcome } from '../../store/outcome-store';
import { OVERLAY_KEYS } from '../keyboard/overlay-keys';
import { keysOf } from '../../../../shared/keymap';
import { useKeymap } from '../keyboard/useKeymap';
import { OutcomeForm } from './OutcomeForm';
import { SignedOutcomeView } from './SignedOutcomeView';
import { useCanDecide, useOutcomeKeys, useUserTemplateBindings } from './useOutcomeKeys';

export const OUTCOME_PANEL_ID = 'outcome-panel';

export function OutcomePanel({ detail }: { detail: CaseDetail }): React.JSX.Element {
  const signed = useOutcome((s) => s.outcomes.find((o) => o.referralId === detail.referralId && countsForReferral(o.state)));
  const claim = useDesk((s) => s.claim);
  const reviewer = useDesk((s) => s.info?.reviewer);
  const canDecide = useCanDecide(detail);
  const keys = useOutcomeKeys(detail);

  useKeymap(
    'outcome',
    { ...keys, 'outcome.leave': () => (document.activeElement as HTMLElement | null)?.blur(), ...OVERLAY_KEYS },
    'case',
    useUserTemplateBindings(),
  );

  let body: React.JSX.Element;
  if (signed) {
    body = <SignedOutcomeView outcome={signed} signerName={signed.signedBy === reviewer?.practitionerId ? reviewer.name : `Practitioner/${signed.signedBy}`} />;
  } else if (!canDecide) {
    body = (
      <p className="read-only">
        {detail.state === 'withdrawn'
          ? `${detail.sentTo ? `Sent to ${detail.sentTo}` : 'Withdrawn by the referrer'}: no outcome can be sent.`
          : `Read-only: ${claim?.state === 'held-by-other' ? claim.by : 'a colleague'} is reviewing this referral.`}
      </p>
    );
  } else {
    body = <OutcomeForm detail={detail} />;
  }

  return (
    <section id={OUTCOME_PANEL_ID} className="outcome-panel" data-keyscope="outcome" aria-label="Outcome" tabIndex={-1}>
      <h2>
        Outcome <small>({keysOf('outcome.focus').join(', ')})</small>
      </h2>
      {body}
    </section>
  );
}
