/**
 * The referral queue: urgency first, then due date, filtered by state, priority and overdue.
 * j/k or arrows move, Home/End jump, Enter opens. Only the rows in view are drawn.
 */
import './queue.css';
import { useEffect, useMemo } from 'react';
import { keysOf } from '../../../../shared/keymap';
import { countQueue, isUnfiltered, nextPriorityFilter, nextStateFilter, NO_FILTER, toggleOverdueFilter } from '../../../../shared/queue/queue-filter';
import { countsForReferral, type OutcomeState } from '../../../../shared/outcome/outcome';
import { today } from '../../app/format';
import { useDesk } from '../../store/desk-store';
import { useOutcome } from '../../store/outcome-store';
import { OVERLAY_KEYS } from '../keyboard/overlay-keys';
import { useKeymap } from '../keyboard/useKeymap';
import { QueueFilters } from './QueueFilters';
import { QueueRow } from './QueueRow';
import { useRowWindow } from './useRowWindow';

const HEADER_HEIGHT = 34;

export function QueueView(): React.JSX.Element {
  const queue = useDesk((s) => s.queue);
  const visible = useDesk((s) => s.visible);
  const filter = useDesk((s) => s.filter);
  const selectedIndex = useDesk((s) => s.selectedIndex);
  const reviewerId = useDesk((s) => s.info?.reviewer?.practitionerId);
  const outcomes = useOutcome((s) => s.outcomes);
  const { moveSelection, select, openSelected, syncNow, toggleProblems, toggleAudit, setFilter, toggleSummary } = useDesk.getState();
  const day = today();
  const decided = useDesk((s) => s.decided);
  const counts = useMemo(() => countQueue(queue, day, decided), [queue, day, decided]);
  // The newest outcome of each referral (the list comes newest first).
  const outcomeOf = useMemo(() => {
    const map = new Map<string, OutcomeState>();
    for (const o of outcomes) if (!map.has(o.referralId) && countsForReferral(o.state)) map.set(o.referralId, o.state);
    return map;
  }, [outcomes]);
  const rows = useRowWindow(visible.length, HEADER_HEIGHT, selectedIndex);
  const { scroller } = rows;

  // Focus follows the selection, so it is always visible and Enter opens what is shown selected.
  useEffect(() => {
    scroller.current?.querySelector<HTMLElement>('tr[aria-selected="true"]')?.focus({ preventScroll: true });
  }, [scroller, selectedIndex, visible]);

  useKeymap('queue', {
    'queue.next': () => moveSelection(1),
    'queue.previous': () => moveSelection(-1),
    'queue.first': () => select(0),
    'queue.last': () => select(Number.MAX_SAFE_INTEGER),
    'queue.open': () => void openSelected(),
    'queue.sync': () => void syncNow(),
    'queue.problems': () => void toggleProblems(),
    'queue.audit': () => void toggleAudit(),
    'queue.filterState': () => setFilter(nextStateFilter(filter)),
    'queue.filterPriority': () => setFilter(nextPriorityFilter(filter)),
    'queue.filterOverdue': () => setFilter(toggleOverdueFilter(filter)),
    'queue.filterClear': () => setFilter(NO_FILTER),
    'session.summary': toggleSummary,
    ...OVERLAY_KEYS,
  });

  if (queue.length === 0) {
    return <p className="empty">No referrals waiting. New ones appear here after the next sync.</p>;
  }
  return (
    <div className="queue-pane">
      <QueueFilters counts={counts} shown={visible.length} />
      <div className="queue-scroll" ref={scroller}>
        {visible.length === 0 ? (
          <p className="empty">
            {isUnfiltered(filter)
              ? `Nothing left to do: every referral in the queue is done or withdrawn. ${keysOf('queue.filterState').join(', ')} shows the done ones.`
              : `No referral matches these filters. ${keysOf('queue.filterClear').join(', ')} goes back to the worklist.`}
          </p>
        ) : (
          <table className="queue" aria-label="Referrals" aria-rowcount={visible.length + 1}>
            {/* Fixed widths: a long name or complaint is cut short with an ellipsis, never pushes the table off the screen. */}
            <colgroup>
              <col className="col-priority" />
              <col className="col-patient" />
              <col className="col-nhs" />
              <col className="col-age" />
              <col className="col-complaint" />
              <col className="col-received" />
              <col className="col-due" />
              <col className="col-images" />
            </colgroup>
            <thead>
              <tr style={{ height: HEADER_HEIGHT }}>
                <th>Priority</th>
                <th>Patient</th>
                <th>NHS number</th>
                <th>Age</th>
                <th>Site · complaint</th>
                <th>Received</th>
                <th>Due</th>
                <th>Images</th>
              </tr>
            </thead>
            <tbody>
              {rows.spaceBefore > 0 && <tr className="spacer" aria-hidden style={{ height: rows.spaceBefore }} />}
              {visible.slice(rows.first, rows.end).map((r, offset) => {
                const index = rows.first + offset;
                return (
                  <QueueRow key={r.referralId} referral={r} index={index} selected={index === selectedIndex} today={day}
                    reviewerId={reviewerId} outcome={outcomeOf.get(r.referralId)} onPick={select} onOpen={() => void openSelected()} />
                );
              })}
              {rows.spaceAfter > 0 && <tr className="spacer" aria-hidden style={{ height: rows.spaceAfter }} />}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
