/** The queue's filters as buttons, each with its count over the whole queue; keys t, u, o, x do the same. */
import { REFERRAL_STATES, REFERRER_PRIORITY_LABELS, type ReferrerPriority } from '../../../../shared/domain/referral';
import { isUnfiltered, REFERRAL_STATE_LABELS, type QueueCounts, type QueueFilter } from '../../../../shared/queue/queue-filter';
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
        {isUnfiltered(filter) ? `${counts.total} referrals` : `${shown} of ${counts.total} shown`}
      </span>
      <span className="group" aria-label="State (t)">
        {REFERRAL_STATES.map((state) => (
          <Chip key={state} on={filter.state === state} label={REFERRAL_STATE_LABELS[state]} count={counts.byState[state]}
            onPick={() => pick({ state: filter.state === state ? 'all' : state })} />
        ))}
      </span>
      <span className="group" aria-label="Referrer priority (u)">
        {PRIORITIES.map((priority) => (
          <Chip key={priority} on={filter.priority === priority} label={REFERRER_PRIORITY_LABELS[priority]} count={counts.byPriority[priority]}
            onPick={() => pick({ priority: filter.priority === priority ? 'all' : priority })} />
        ))}
      </span>
      <span className="group" aria-label="Due (o)">
        <Chip on={filter.overdueOnly} label="Overdue" count={counts.overdue} onPick={() => pick({ overdueOnly: !filter.overdueOnly })} />
        <span className="due-today-count">Due today {counts.dueToday}</span>
      </span>
      {!isUnfiltered(filter) && <span className="hint">x clears the filters</span>}
    </div>
  );
}
