/**
 * What the GP sent, beside the images: the referral, earlier referrals, the consents (unmistakably
 * yes or no, with when each was recorded) and the questionnaire, each reached by a key of its own.
 * What is missing from it is said in the banner above (ReferralBanner), always in view.
 */
import { CONSENT_KINDS, CONSENT_LABELS, consentAnswer, REFERRER_PRIORITY_LABELS, type CaseDetail } from '../../../../shared/domain/referral';
import { keysOf } from '../../../../shared/keymap';
import { formatDay, formatReceived } from '../../app/format';
import { BodyMap } from './BodyMap';
import { EarlierReferrals } from './EarlierReferrals';

/** The sections a key goes to (keymap: case.consents, case.questionnaire). */
export const CONSENTS_ID = 'referral-consents';
export const QUESTIONNAIRE_ID = 'referral-questionnaire';

/** Brings a section of the referral into view and moves the focus there (so Esc, then the viewer's keys, still work). */
export function goToSection(id: string): void {
  const section = document.getElementById(id);
  section?.scrollIntoView({ block: 'start' });
  section?.focus({ preventScroll: true });
}

export function ReferralDetails({ detail }: { detail: CaseDetail }): React.JSX.Element {
  return (
    <aside className="referral" aria-label="Referral">
      <h2>Referral</h2>
      <dl>
        <dt>Referrer priority</dt>
        <dd><span className={`badge priority-${detail.referrerPriority}`}>{REFERRER_PRIORITY_LABELS[detail.referrerPriority]}</span></dd>
        <dt>Reason</dt>
        <dd>{detail.reason || 'Not given'}</dd>
        <dt>Question from the GP</dt>
        <dd>{detail.question || 'Not given'}</dd>
        <dt>Lesion site</dt>
        <dd>
          {detail.lesionSite || 'Not given'}
          {detail.lesionSite && <BodyMap site={detail.lesionSite} />}
        </dd>
        <dt>Referred by</dt>
        <dd>{detail.referrerName || 'Unknown'}{detail.practiceName && `, ${detail.practiceName}`}</dd>
        <dt>Received</dt>
        <dd>{formatReceived(detail.receivedAt)}</dd>
        <dt>Review due</dt>
        <dd>{formatDay(detail.dueDate)}</dd>
      </dl>
      <EarlierReferrals detail={detail} />
      <h2 id={CONSENTS_ID} tabIndex={-1}>
        Consents <kbd>{keysOf('case.consents')[0]}</kbd>
      </h2>
      <ul className="consents">
        {CONSENT_KINDS.map((kind) => {
          const consent = detail.consents.find((c) => c.kind === kind);
          const state = consentAnswer(detail.consents, kind);
          return (
            <li key={kind} className={`consent ${state}`}>
              <span className="answer">{state === 'yes' ? '✓ YES' : state === 'no' ? '✗ NO' : '? NOT RECORDED'}</span>
              <span>
                {CONSENT_LABELS[kind]}
                {consent?.recordedAt && <small> recorded {formatReceived(consent.recordedAt)}</small>}
              </span>
            </li>
          );
        })}
      </ul>
      <h2 id={QUESTIONNAIRE_ID} tabIndex={-1}>
        Questionnaire <kbd>{keysOf('case.questionnaire')[0]}</kbd>
      </h2>
      <dl className="questionnaire">
        {detail.questionnaire.map((q) => (
          <div key={q.linkId}>
            <dt>{q.question}</dt>
            <dd className={q.answer === null ? 'unanswered' : undefined}>{q.answer ?? 'Not answered'}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
