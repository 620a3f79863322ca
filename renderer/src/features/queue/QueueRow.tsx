/** One referral in the queue: priority, patient, NHS number, age, complaint and site, received, due, images (and whether dermoscopy came), and where it stands. */
import { memo } from 'react';
import { formatNhsNumber, isValidNhsNumber } from '../../../../shared/domain/nhs-number';
import { REFERRER_PRIORITY_LABELS, REFERRER_PRIORITY_SHORT, type ReferralSummary } from '../../../../shared/domain/referral';
import { countsForReferral, isDone, type OutcomeState, type StateNotCounting } from '../../../../shared/outcome/outcome';
import { ageToday, formatDay, formatReceived, SEX_LABELS } from '../../app/format';
import { QUEUE_ROW_HEIGHT } from './useRowWindow';
import { DueBadge } from '../../app/DueBadge';

const OUTCOME_BADGES: Record<Exclude<OutcomeState, StateNotCounting>, string> = {
  queued: 'Outcome signed', sending: 'Outcome sending', sent: 'Outcome sent', failed: 'Outcome not sent', held: 'Outcome held',
  'handled-elsewhere': 'Handled elsewhere',
};

interface Props {
  referral: ReferralSummary;
  /** Position in the list shown, from 0. */
  index: number;
  selected: boolean;
  today: string;
  reviewerId: string | undefined;
  outcome: OutcomeState | undefined;
  onPick: (index: number) => void;
  onOpen: () => void;
}

export const QueueRow = memo(function QueueRow({ referral: r, index, selected, today, reviewerId, outcome, onPick, onOpen }: Props): React.JSX.Element {
  // Signed here: done, so neither in review nor owing anything by its date; where its outcome stands is what matters.
  const done = outcome !== undefined && isDone(outcome) && r.state !== 'withdrawn';
  return (
    <tr
      data-referral-id={r.referralId}
      aria-rowindex={index + 2}
      tabIndex={selected ? 0 : -1}
      aria-selected={selected}
      style={{ height: QUEUE_ROW_HEIGHT }}
      className={[selected && 'selected', r.state === 'withdrawn' && 'withdrawn'].filter(Boolean).join(' ') || undefined}
      onClick={() => onPick(index)}
      onDoubleClick={onOpen}
    >
      <td title={REFERRER_PRIORITY_LABELS[r.referrerPriority]}>
        <span className={`badge priority-${r.referrerPriority}`}>{REFERRER_PRIORITY_SHORT[r.referrerPriority]}</span>
      </td>
      {/* Whatever the badges say is on hover too, should a long name leave them no room. */}
      <td title={[r.patientName, r.patientMissing && 'Patient record missing', r.state === 'withdrawn' && (r.sentTo ? `Sent to ${r.sentTo}` : 'Withdrawn by referrer'),
        r.state === 'in-review' && !done && `In review: ${r.heldBy?.name ?? 'unknown'}`, outcome && countsForReferral(outcome) && OUTCOME_BADGES[outcome]].filter(Boolean).join(' · ')}>
        <span className="patient-name">{r.patientName}</span>
        {r.patientMissing && <span className="badge nhs-invalid" title="The patient's record has not arrived, or could not be read: no outcome can be signed until it is in">Missing</span>}
        {r.state === 'withdrawn' && <span className="badge withdrawn">{r.sentTo ? `Sent to ${r.sentTo}` : 'Withdrawn by referrer'}</span>}
        {r.state === 'in-review' && !done && (
          <span className="badge in-review">
            {r.heldBy?.practitionerId === reviewerId ? 'In review by you' : `In review: ${r.heldBy?.name ?? 'unknown'}`}
          </span>
        )}
        {outcome && countsForReferral(outcome) && <span className={`badge outcome-${outcome}`}>{OUTCOME_BADGES[outcome]}</span>}
      </td>
      {/* An NHS number that fails its check digit: marked within the column's width, never cut off. */}
      {!r.patientMissing && !isValidNhsNumber(r.nhsNumber) ? (
        <td className="nhs invalid" title="This NHS number fails its check digit: confirm who this is before acting">
          <span aria-hidden="true">✗ </span>
          {formatNhsNumber(r.nhsNumber)}
          <span className="sr-only"> Not valid</span>
        </td>
      ) : (
        <td className="nhs">{formatNhsNumber(r.nhsNumber)}</td>
      )}
      <td>{r.birthDate ? ageToday(r.birthDate) : '—'} {r.sex ? SEX_LABELS[r.sex]?.[0] : ''}</td>
      <td className="complaint" title={[r.lesionSite, r.reason].filter(Boolean).join(' · ')}>
        {/* The site first: short, and what tells two of one patient's lesions apart. */}
        <span className="site">{r.lesionSite || 'Site not given'}</span> · {r.reason || 'No complaint given'}
      </td>
      <td>{formatReceived(r.receivedAt)}</td>
      <td className="due">
        {formatDay(r.dueDate)} <DueBadge dueDate={r.dueDate} today={today} owed={r.state !== 'withdrawn' && !done} />
      </td>
      <td className="count">
        {r.imageCount}
        {r.dermoscopySent ? (
          <span className="dermoscopy sent" title="A dermoscopic image was sent">D</span>
        ) : (
          <span className="dermoscopy missing" title="No dermoscopic image was sent">no D</span>
        )}
      </td>
    </tr>
  );
});
