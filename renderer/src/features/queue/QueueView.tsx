/** The referral queue: urgency first, then due date. j/k or arrows move, Enter opens. */
import { useEffect, useRef } from 'react';
import { dueState } from '../../../../shared/clock/working-days';
import { formatNhsNumber } from '../../../../shared/domain/nhs-number';
import { REFERRER_PRIORITY_LABELS } from '../../../../shared/domain/referral';
import { ageToday, formatDay, formatReceived, SEX_LABELS, today } from '../../app/format';
import { useDesk } from '../../store/desk-store';
import { useKeymap } from '../keyboard/useKeymap';

const DUE_LABELS = { overdue: 'Overdue', 'due-today': 'Due today', 'due-later': '' } as const;

export function QueueView(): React.JSX.Element {
  const queue = useDesk((s) => s.queue);
  const selectedIndex = useDesk((s) => s.selectedIndex);
  const reviewerId = useDesk((s) => s.info?.reviewer?.practitionerId);
  const { moveSelection, select, openSelected, syncNow, toggleProblems, toggleAudit } = useDesk.getState();
  const selectedRow = useRef<HTMLTableRowElement>(null);

  useKeymap('queue', {
    'queue.next': () => moveSelection(1),
    'queue.previous': () => moveSelection(-1),
    'queue.open': () => void openSelected(),
    'queue.sync': () => void syncNow(),
    'queue.problems': () => void toggleProblems(),
    'queue.audit': () => void toggleAudit(),
    'help.open': () => useDesk.setState({ helpOpen: true }),
  });

  useEffect(() => {
    selectedRow.current?.scrollIntoView({ block: 'nearest' });
    selectedRow.current?.focus({ preventScroll: true });
  }, [selectedIndex, queue.length]);

  if (queue.length === 0) {
    return <p className="empty">No referrals waiting. New ones appear here after the next sync.</p>;
  }
  const day = today();
  return (
    <table className="queue" aria-label="Referrals awaiting review">
      <thead>
        <tr>
          <th>Referrer priority</th>
          <th>Patient</th>
          <th>NHS number</th>
          <th>Age</th>
          <th>Received</th>
          <th>Due</th>
          <th>Images</th>
        </tr>
      </thead>
      <tbody>
        {queue.map((r, index) => {
          const due = dueState(r.dueDate, day);
          const selected = index === selectedIndex;
          return (
            <tr
              key={r.referralId}
              data-referral-id={r.referralId}
              ref={selected ? selectedRow : undefined}
              tabIndex={selected ? 0 : -1}
              aria-selected={selected}
              className={[selected && 'selected', r.state === 'withdrawn' && 'withdrawn'].filter(Boolean).join(' ') || undefined}
              onClick={() => select(index)}
              onDoubleClick={() => void openSelected()}
            >
              <td><span className={`badge priority-${r.referrerPriority}`}>{REFERRER_PRIORITY_LABELS[r.referrerPriority]}</span></td>
              <td>
                <span className="patient-name">{r.patientName}</span>
                {r.state === 'withdrawn' && <span className="badge withdrawn">Withdrawn by referrer</span>}
                {r.state === 'in-review' && (
                  <span className="badge in-review">
                    {r.heldBy?.practitionerId === reviewerId ? 'In review by you' : `In review: ${r.heldBy?.name ?? 'unknown'}`}
                  </span>
                )}
              </td>
              <td className="nhs">{formatNhsNumber(r.nhsNumber)}</td>
              <td>{ageToday(r.birthDate)} {SEX_LABELS[r.sex]?.[0]}</td>
              <td>{formatReceived(r.receivedAt)}</td>
              <td>
                {formatDay(r.dueDate)} {due !== 'due-later' && <span className={`badge ${due}`}>{DUE_LABELS[due]}</span>}
              </td>
              <td className="count">{r.imageCount}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
