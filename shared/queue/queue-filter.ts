/**
 * Which referrals the queue shows, and how many there are of each kind. Pure: the renderer
 * keeps a filter and derives the visible list and the counts from the whole queue with these.
 *
 * A referral whose outcome signed here is on its way or sent is done, at once: it leaves the worklist (what
 * is left to do) and its counts the moment it is signed, not at the next sync, and stays in the
 * queue's "Done" view until the cache lets it go. Withdrawn ones stay in the worklist, marked, as
 * do those whose outcome is held or failed: they still need the consultant.
 */
import { dueState, type IsoDate } from '../clock/working-days';
import { REFERRER_PRIORITIES, type ReferralSummary, type ReferrerPriority } from '../domain/referral';

/** Where a referral stands in the worklist: the server's state, or done here. */
export const QUEUE_STATES = ['awaiting-review', 'in-review', 'withdrawn', 'done'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export interface QueueFilter {
  /** to-do: everything but what is done; all: done too. */
  state: QueueState | 'to-do' | 'all';
  priority: ReferrerPriority | 'all';
  /** Only referrals past their due date. */
  overdueOnly: boolean;
}

/** The worklist as it opens, and as x leaves it: everything left to do. */
export const NO_FILTER: QueueFilter = { state: 'to-do', priority: 'all', overdueOnly: false };

export const QUEUE_STATE_LABELS: Record<QueueState, string> = {
  'awaiting-review': 'Awaiting review',
  'in-review': 'In review',
  withdrawn: 'Withdrawn',
  done: 'Done',
};

export interface QueueCounts {
  total: number;
  /** Everything but what is done. */
  toDo: number;
  byState: Record<QueueState, number>;
  /** Of what is left to do. */
  byPriority: Record<ReferrerPriority, number>;
  overdue: number;
  dueToday: number;
}

/** Referrals done here (outcome.ts isDone), by id. */
export type Decided = ReadonlySet<string>;
const NONE: Decided = new Set();

/** A withdrawn referral stays withdrawn, an outcome or not: what is held for it needs the consultant. */
export function queueState(referral: ReferralSummary, decided: Decided): QueueState {
  if (referral.state === 'withdrawn') return 'withdrawn';
  return decided.has(referral.referralId) ? 'done' : referral.state;
}

/** Withdrawn and done referrals are never overdue: nothing more is owed on them. */
const owes = (state: QueueState): boolean => state === 'awaiting-review' || state === 'in-review';

export function matchesFilter(referral: ReferralSummary, filter: QueueFilter, today: IsoDate, decided: Decided = NONE): boolean {
  const state = queueState(referral, decided);
  return (
    (filter.state === 'all' || (filter.state === 'to-do' ? state !== 'done' : state === filter.state)) &&
    (filter.priority === 'all' || referral.referrerPriority === filter.priority) &&
    (!filter.overdueOnly || (owes(state) && dueState(referral.dueDate, today) === 'overdue'))
  );
}

/** The queue as filtered, in the queue's own order. */
export function filterQueue(queue: readonly ReferralSummary[], filter: QueueFilter, today: IsoDate, decided: Decided = NONE): ReferralSummary[] {
  return queue.filter((referral) => matchesFilter(referral, filter, today, decided));
}

/** The worklist as it opens: nothing narrowed by the consultant. */
export function isUnfiltered(filter: QueueFilter): boolean {
  return filter.state === NO_FILTER.state && filter.priority === 'all' && !filter.overdueOnly;
}

/** Counts over the whole queue, whatever the filter, so the consultant sees what is hidden. */
export function countQueue(queue: readonly ReferralSummary[], today: IsoDate, decided: Decided = NONE): QueueCounts {
  const counts: QueueCounts = {
    total: queue.length,
    toDo: 0,
    byState: Object.fromEntries(QUEUE_STATES.map((s) => [s, 0])) as Record<QueueState, number>,
    byPriority: Object.fromEntries(REFERRER_PRIORITIES.map((p) => [p, 0])) as Record<ReferrerPriority, number>,
    overdue: 0,
    dueToday: 0,
  };
  for (const referral of queue) {
    const state = queueState(referral, decided);
    counts.byState[state] += 1;
    if (state === 'done') continue;
    counts.toDo += 1;
    counts.byPriority[referral.referrerPriority] += 1;
    if (!owes(state)) continue;
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

/** The worklist, each state in turn, everything, and back to the worklist. */
const STATE_CYCLE: readonly QueueFilter['state'][] = ['to-do', ...QUEUE_STATES, 'all'];

export const nextStateFilter = (filter: QueueFilter): QueueFilter => ({
  ...filter,
  state: STATE_CYCLE[(STATE_CYCLE.indexOf(filter.state) + 1) % STATE_CYCLE.length] ?? NO_FILTER.state,
});
export const nextPriorityFilter = (filter: QueueFilter): QueueFilter => ({ ...filter, priority: cycle(PRIORITY_CYCLE, filter.priority) });
export const toggleOverdueFilter = (filter: QueueFilter): QueueFilter => ({ ...filter, overdueOnly: !filter.overdueOnly });
