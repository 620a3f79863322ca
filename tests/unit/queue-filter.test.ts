import { describe, expect, it } from 'vitest';
import type { ReferralSummary } from '../../shared/domain/referral';
import {
  countQueue,
  filterQueue,
  NO_FILTER,
  nextPriorityFilter,
  nextStateFilter,
  toggleOverdueFilter,
  type QueueFilter,
} from '../../shared/queue/queue-filter';

const TODAY = '2026-11-25';

function referral(id: string, over: Partial<ReferralSummary>): ReferralSummary {
  return {
    referralId: id, state: 'awaiting-review', heldBy: null, patientName: 'TEST, Patient', nhsNumber: '9990000018',
    birthDate: '1960-01-01', sex: 'female', referrerPriority: 'routine', receivedAt: '2026-11-23T10:00:00Z',
    dueDate: '2026-11-27', reason: 'Mole', lesionSite: 'Back', imageCount: 3, dermoscopySent: true, sentTo: null, patientMissing: false, ...over,
  };
}

const QUEUE: ReferralSummary[] = [
  referral('usc-overdue', { referrerPriority: 'urgent-suspected-cancer', dueDate: '2026-11-24' }),
  referral('usc-today', { referrerPriority: 'urgent-suspected-cancer', dueDate: TODAY, state: 'in-review' }),
  referral('urgent-later', { referrerPriority: 'urgent' }),
  referral('routine-overdue', { dueDate: '2026-11-20' }),
  referral('routine-withdrawn-past-due', { dueDate: '2026-11-20', state: 'withdrawn' }),
  referral('routine-later', {}),
];

/** Signed here: done, whatever the server says yet. */
const DECIDED = new Set(['usc-today', 'routine-withdrawn-past-due']);

const ids = (filter: Partial<QueueFilter>, decided = DECIDED): string[] => filterQueue(QUEUE, { ...NO_FILTER, ...filter }, TODAY, decided).map((r) => r.referralId);

describe('queue filter', () => {
  it.each([
    // The worklist: everything but what is signed here; a withdrawn referral stays, an outcome or not.
    [{}, ['usc-overdue', 'urgent-later', 'routine-overdue', 'routine-withdrawn-past-due', 'routine-later']],
    [{ state: 'all' }, ['usc-overdue', 'usc-today', 'urgent-later', 'routine-overdue', 'routine-withdrawn-past-due', 'routine-later']],
    [{ state: 'done' }, ['usc-today']],
    [{ state: 'in-review' }, []],
    [{ state: 'withdrawn' }, ['routine-withdrawn-past-due']],
    [{ priority: 'urgent-suspected-cancer' }, ['usc-overdue']],
    [{ priority: 'routine' }, ['routine-overdue', 'routine-withdrawn-past-due', 'routine-later']],
    // A withdrawn referral past its date owes nothing, so it is not overdue; nor is one done.
    [{ overdueOnly: true }, ['usc-overdue', 'routine-overdue']],
    [{ overdueOnly: true, state: 'all' }, ['usc-overdue', 'routine-overdue']],
    [{ overdueOnly: true, priority: 'routine' }, ['routine-overdue']],
    [{ state: 'awaiting-review', priority: 'urgent' }, ['urgent-later']],
  ] as [Partial<QueueFilter>, string[]][])('%o shows %o, in queue order', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it('shows a referral as the server has it until it is signed here, and done from that moment', () => {
    expect(ids({ state: 'in-review' }, new Set())).toEqual(['usc-today']);
    expect(ids({ state: 'done' }, new Set())).toEqual([]);
    expect(ids({}, new Set())).toHaveLength(QUEUE.length);
  });

  it('counts the whole queue whatever is shown, what is done apart', () => {
    expect(countQueue(QUEUE, TODAY, DECIDED)).toEqual({
      total: 6,
      toDo: 5,
      byState: { 'awaiting-review': 4, 'in-review': 0, withdrawn: 1, done: 1 },
      byPriority: { routine: 3, urgent: 1, 'urgent-suspected-cancer': 1 },
      overdue: 2,
      dueToday: 0,
    });
    expect(countQueue(QUEUE, TODAY).dueToday).toBe(1);
    expect(countQueue([], TODAY).total).toBe(0);
  });

  it('steps each filter through its choices and back to all', () => {
    const states: string[] = [];
    let filter = NO_FILTER;
    for (let i = 0; i < 6; i++) states.push((filter = nextStateFilter(filter)).state);
    expect(states).toEqual(['awaiting-review', 'in-review', 'withdrawn', 'done', 'all', 'to-do']);

    const priorities: string[] = [];
    for (let i = 0; i < 4; i++) priorities.push((filter = nextPriorityFilter(filter)).priority);
    expect(priorities).toEqual(['urgent-suspected-cancer', 'urgent', 'routine', 'all']);

    expect(toggleOverdueFilter(NO_FILTER).overdueOnly).toBe(true);
    expect(toggleOverdueFilter(toggleOverdueFilter(NO_FILTER)).overdueOnly).toBe(false);
  });
});
