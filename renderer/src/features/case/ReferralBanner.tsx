/**
 * What this referral asks of the consultant, in view with the patient for as long as the case is
 * open: the referrer's priority, when the review is due, the three consents (yes or no), the
 * urgency and target date of the outcome being decided, and what is missing from the referral.
 */
import { completenessWarnings } from '../../../../shared/domain/completeness';
import { CONSENT_KINDS, CONSENT_LABELS, CONSENT_SHORT_LABELS, consentAnswer, REFERRER_PRIORITY_LABELS, type CaseDetail } from '../../../../shared/domain/referral';
import { countsForReferral, isDone } from '../../../../shared/outcome/outcome';
import { OUTCOME_KIND } from '../../../../shared/outcome/outcome-kinds';
import { targetDate, URGENCIES, URGENCY, type Urgency } from '../../../../shared/outcome/urgency';
import { DueBadge } from '../../app/DueBadge';
import { formatDay, today } from '../../app/format';
import { useOutcome } from '../../store/outcome-store';
import './referral-banner.css';

const CONSENT_MARKS = { yes: '✓', no: '✗', unknown: '?' } as const;

const isUrgency = (value: string | undefined): value is Urgency => (URGENCIES as readonly string[]).includes(value ?? '');

/** The outcome as decided so far (the draft) or as signed: its kind, urgency and the day the patient should be seen by. */
/** How the banner names an outcome signed here, by where it stands. */
const SIGNED_WORDS: Record<string, string> = { held: 'Held, not sent: ', failed: 'Signed, not yet sent: ' };

function useOutcomeAtAGlance(referralId: string): { kind: string; urgency: string | null; by: string | null; said: string; done: boolean } | null {
  const signed = useOutcome((s) => s.outcomes.find((o) => o.referralId === referralId && countsForReferral(o.state)));
  const draft = useOutcome((s) => (s.referralId === referralId ? s.draft : null));
  const shown = signed?.draft ?? draft;
  if (!shown?.kind) return null;
  const urgency = (OUTCOME_KIND[shown.kind].requires as readonly string[]).includes('urgency') && isUrgency(shown.fields.urgency) ? shown.fields.urgency : null;
  const by = signed ? signed.targetDate : urgency ? targetDate(today(), urgency) : null;
  const said = signed ? (SIGNED_WORDS[signed.state] ?? 'Signed: ') : 'Outcome: ';
  return { kind: OUTCOME_KIND[shown.kind].label, urgency: urgency && URGENCY[urgency].label, by, said, done: signed !== undefined && isDone(signed.state) };
}

export function ReferralBanner({ detail }: { detail: CaseDetail }): React.JSX.Element {
  const outcome = useOutcomeAtAGlance(detail.referralId);
  const warnings = completenessWarnings(detail);
  return (
    <>
      <div className="referral-banner" aria-label="Referral at a glance" role="group">
        <span className={`badge priority-${detail.referrerPriority}`}>{REFERRER_PRIORITY_LABELS[detail.referrerPriority]}</span>
        <span className="due">
          Review due <strong>{formatDay(detail.dueDate)}</strong>
          <DueBadge dueDate={detail.dueDate} today={today()} owed={detail.state !== 'withdrawn' && !outcome?.done} />
        </span>
        <ul className="consent-strip" aria-label="Consents">
          {CONSENT_KINDS.map((kind) => {
            const state = consentAnswer(detail.consents, kind);
            const said = state === 'yes' ? 'yes' : state === 'no' ? 'no' : 'not recorded';
            return (
              <li key={kind} className={`consent-chip ${state}`} title={`${CONSENT_LABELS[kind]}: ${said}`}>
                <span aria-hidden="true">{CONSENT_MARKS[state]}</span> {CONSENT_SHORT_LABELS[kind]}
                <span className="sr-only">: {said}</span>
              </li>
            );
          })}
        </ul>
        <span className="outcome-glance" aria-live="polite">
          {outcome ? (
            <>
              {outcome.said}
              <strong>{outcome.kind}</strong>
              {outcome.urgency && <> · {outcome.urgency}</>}
              {outcome.by && <> · see by <strong>{formatDay(outcome.by)}</strong></>}
            </>
          ) : (
            'No outcome chosen'
          )}
        </span>
      </div>
      {warnings.length > 0 && (
        <section className="completeness" aria-label="Completeness">
          <strong>Check before deciding:</strong>
          <ul>
            {warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
