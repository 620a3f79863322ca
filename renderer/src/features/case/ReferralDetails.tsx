/**
 * What the GP sent, beside the images: completeness warnings first, then the referral, the
 * consents (unmistakably yes or no), the questionnaire and earlier referrals.
 */
import { completenessWarnings } from '../../../../shared/domain/completeness';
import { CONSENT_KINDS, CONSENT_LABELS, REFERRER_PRIORITY_LABELS, type CaseDetail } from '../../../../shared/domain/referral';
import { formatDay, formatReceived } from '../../app/format';
import { BodyMap } from './BodyMap';
import { EarlierReferrals } from './EarlierReferrals';

export function ReferralDetails({ detail }: { detail: CaseDetail }): React.JSX.Element {
  const warnings = completenessWarnings(detail);
  return (
    <aside className="referral" aria-label="Referral">
      {warnings.length > 0 && (
        <section className="completeness" aria-label="Completeness">
          <h2>Check before deciding</h2>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
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
      <h2>Consents</h2>
      <ul className="consents">
        {CONSENT_KINDS.map((kind) => {
          const consent = detail.consents.find((c) => c.kind === kind);
          const state = consent === undefined ? 'unknown' : consent.permitted ? 'yes' : 'no';
          return (
            <li key={kind} className={`consent ${state}`}>
              <span className="answer">{state === 'yes' ? '✓ YES' : state === 'no' ? '✗ NO' : '? NOT RECORDED'}</span>
              <span>{CONSENT_LABELS[kind]}</span>
            </li>
          );
        })}
      </ul>
      <h2>Questionnaire</h2>
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
