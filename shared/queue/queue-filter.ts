/**
 * Which referrals the queue shows, and how many there are of each kind. Pure: the renderer
 * keeps a filter and derives the visible list and the counts from the whole queue with these.
 */
import { dueState, type IsoDate } from '../clock/working-days';
import { REFERRAL_STATES, REFERRER_PRIORITIES, type ReferralState, type ReferralSummary, type ReferrerPriority } from '../domain/referral';

export interface QueueFilter {
  state: ReferralState | 'all';
  priority: ReferrerPriority | 'all';
  /** Only referrals past their due date. */
  overdueOnly: boolean;
}

export const NO_FILTER: QueueFilter = { state: 'all', priority: 'all', overdueOnly: false };

export const REFERRAL_STATE_LABELS: Record<ReferralState, string> = {
  'awaiting-review': 'Awaiting review',
  'in-review': 'In review',
  withdrawn: 'Withdrawn',
};

export interface QueueCounts {
  total: number;
  byState: Record<ReferralState, number>;
  byPriority: Record<ReferrerPriority, number>;
  overdue: number;
  dueToday: number;
}

/** Withdrawn referrals are never overdue: nothing is owed on them. */
const isOverdue = (referral: ReferralSummary, today: IsoDate): boolean =>
  referral.state !== 'withdrawn' && dueState(referral.dueDate, today) === 'overdue';

export function matchesFilter(referral: ReferralSummary, filter: QueueFilter, today: IsoDate): boolean {
  return (
    (filter.state === 'all' || referral.state === filter.state) &&
    (filter.priority === 'all' || referral.referrerPriority === filter.priority) &&
    (!filter.overdueOnly || isOverdue(referral, today))
  );
}

/** The queue as filtered, in the queue's own order. */
export function filterQueue(queue: readonly ReferralSummary[], filter: QueueFilter, today: IsoDate): ReferralSummary[] {
  return isUnfiltered(filter) ? [...queue] : queue.filter((referral) => matchesFilter(referral, filter, today));
}

export function isUnfiltered(filter: QueueFilter): boolean {
  return filter.state === 'all' && filter.priority === 'all' && !filter.overdueOnly;
}

/** Counts over the whole queue, whatever the filter, so the consultant sees what is hidden. */
export function countQueue(queue: readonly ReferralSummary[], today: IsoDate): QueueCounts {
  const counts: QueueCounts = {
    total: queue.length,
    byState: Object.fromEntries(REFERRAL_STATES.map((s) => [s, 0])) as Record<ReferralState, number>,
    byPriority: Object.fromEntries(REFERRER_PRIORITIES.map((p) => [p, 0])) as Record<ReferrerPriority, number>,
    overdue: 0,
    dueToday: 0,
  };
  for (const referral of queue) {
    counts.byState[referral.state] += 1;
    counts.byPriority[referral.referrerPriority] += 1;
    if (referral.state === 'withdrawn') continue;
    const due = dueState(referral.dueDate, today);
    if (due === 'overdue') counts.overdue += 1;
    else if (due === 'due-today') counts.dueToday += 1;
  }
  return counts;
}

/** all, then each value in turn, then all again: one key steps through a filter's choices. */
function cycle<T extends string>(values: readonly T[], current: T | 'all'): T | 'all' {
  if (current === 'all') return values[0] ?? 'all';
  const next = values.indexOf(current) + 1;
  return next < values.length ? (values[next] as T) : 'all';
}

/** Most urgent first, the order a consultant looks for them. */
const PRIORITY_CYCLE: readonly ReferrerPriority[] = ['urgent-suspected-cancer', 'urgent', 'routine'];

export const nextStateFilter = (filter: QueueFilter): QueueFilter => ({ ...filter, state: cycle(REFERRAL_STATES, filter.state) });
export const nextPriorityFilter = (filter: QueueFilter): QueueFilter => ({ ...filter, priority: cycle(PRIORITY_CYCLE, filter.priority) });
export const toggleOverdueFilter = (filter: QueueFilter): QueueFilter => ({ ...filter, overdueOnly: !filter.overdueOnly });
