/** One referral in the queue: priority, patient, NHS number, age, received, due, images, and where it stands. */
import { memo } from 'react';
import { dueState } from '../../../../shared/clock/working-days';
import { formatNhsNumber, isValidNhsNumber } from '../../../../shared/domain/nhs-number';
import { REFERRER_PRIORITY_LABELS, type ReferralSummary } from '../../../../shared/domain/referral';
import { countsForReferral, type OutcomeState, type StateNotCounting } from '../../../../shared/outcome/outcome';
import { ageToday, formatDay, formatReceived, SEX_LABELS } from '../../app/format';
import { QUEUE_ROW_HEIGHT } from './useRowWindow';

const DUE_LABELS = { overdue: 'Overdue', 'due-today': 'Due today', 'due-later': '' } as const;
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
  const due = dueState(r.dueDate, today);
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
      <td><span className={`badge priority-${r.referrerPriority}`}>{REFERRER_PRIORITY_LABELS[r.referrerPriority]}</span></td>
      <td>
        <span className="patient-name">{r.patientName}</span>
        {r.patientMissing && <span className="badge nhs-invalid" title="The patient's record has not arrived, or could not be read: no outcome can be signed until it is in">Missing</span>}
        {r.state === 'withdrawn' && <span className="badge withdrawn">{r.sentTo ? `Sent to ${r.sentTo}` : 'Withdrawn by referrer'}</span>}
        {r.state === 'in-review' && (
          <span className="badge in-review">
            {r.heldBy?.practitionerId === reviewerId ? 'In review by you' : `In review: ${r.heldBy?.name ?? 'unknown'}`}
          </span>
        )}
        {outcome && countsForReferral(outcome) && <span className={`badge outcome-${outcome}`}>{OUTCOME_BADGES[outcome]}</span>}
      </td>
      <td className="nhs">
        {formatNhsNumber(r.nhsNumber)}
        {!r.patientMissing && !isValidNhsNumber(r.nhsNumber) && <span className="badge nhs-invalid" title="This NHS number fails its check digit: confirm who this is before acting">Not valid</span>}
      </td>
      <td>{r.birthDate ? ageToday(r.birthDate) : '—'} {r.sex ? SEX_LABELS[r.sex]?.[0] : ''}</td>
      <td>{formatReceived(r.receivedAt)}</td>
      <td>
        {formatDay(r.dueDate)} {r.state !== 'withdrawn' && due !== 'due-later' && <span className={`badge ${due}`}>{DUE_LABELS[due]}</span>}
      </td>
      <td className="count">{r.imageCount}</td>
    </tr>
  );
});
