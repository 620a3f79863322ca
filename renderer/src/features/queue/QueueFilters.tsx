/** The queue's filters as buttons, each with its count over the whole queue; keys t, u, d, x do the same. */
import { REFERRER_PRIORITY_LABELS, type ReferrerPriority } from '../../../../shared/domain/referral';
import { keysOf } from '../../../../shared/keymap';
import { isUnfiltered, NO_FILTER, QUEUE_STATE_LABELS, QUEUE_STATES, type QueueCounts, type QueueFilter } from '../../../../shared/queue/queue-filter';
import { useDesk } from '../../store/desk-store';

const PRIORITIES: readonly ReferrerPriority[] = ['urgent-suspected-cancer', 'urgent', 'routine'];

function Chip({ on, label, count, onPick }: { on: boolean; label: string; count: number; onPick: () => void }): React.JSX.Element {
  return (
    <button type="button" className={on ? 'chip on' : 'chip'} aria-pressed={on} tabIndex={-1} onClick={onPick}>
      {label} <span className="chip-count">{count}</span>
    </button>
  );
}

export function QueueFilters({ counts, shown }: { counts: QueueCounts; shown: number }): React.JSX.Element {
  const filter = useDesk((s) => s.filter);
  const pick = (change: Partial<QueueFilter>): void => useDesk.getState().setFilter({ ...filter, ...change });
  return (
    <div className="queue-filters" role="toolbar" aria-label="Filter the queue">
      <span className="shown" aria-live="polite">
        {isUnfiltered(filter) ? `${counts.toDo} to do` : `${shown} of ${counts.total} shown`}
      </span>
      <span className="group" role="group" aria-label={`State (${keysOf('queue.filterState').join(', ')})`}>
        {QUEUE_STATES.map((state) => (
          <Chip key={state} on={filter.state === state} label={QUEUE_STATE_LABELS[state]} count={counts.byState[state]}
            onPick={() => pick({ state: filter.state === state ? NO_FILTER.state : state })} />
        ))}
      </span>
      <span className="group" role="group" aria-label={`Referrer priority (${keysOf('queue.filterPriority').join(', ')})`}>
        {PRIORITIES.map((priority) => (
          <Chip key={priority} on={filter.priority === priority} label={REFERRER_PRIORITY_LABELS[priority]} count={counts.byPriority[priority]}
            onPick={() => pick({ priority: filter.priority === priority ? 'all' : priority })} />
        ))}
      </span>
      <span className="group" role="group" aria-label={`Due (${keysOf('queue.filterOverdue').join(', ')})`}>
        <Chip on={filter.overdueOnly} label="Overdue" count={counts.overdue} onPick={() => pick({ overdueOnly: !filter.overdueOnly })} />
        <span className="due-today-count">Due today {counts.dueToday}</span>
      </span>
      {!isUnfiltered(filter) && <span className="hint">{keysOf('queue.filterClear').join(', ')} shows the worklist again</span>}
    </div>
  );
}
