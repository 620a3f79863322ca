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
    dueDate: '2026-11-27', imageCount: 3, sentTo: null, patientMissing: false, ...over,
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

const ids = (filter: Partial<QueueFilter>): string[] => filterQueue(QUEUE, { ...NO_FILTER, ...filter }, TODAY).map((r) => r.referralId);

describe('queue filter', () => {
  it.each([
    [{}, ['usc-overdue', 'usc-today', 'urgent-later', 'routine-overdue', 'routine-withdrawn-past-due', 'routine-later']],
    [{ state: 'in-review' }, ['usc-today']],
    [{ state: 'withdrawn' }, ['routine-withdrawn-past-due']],
    [{ priority: 'urgent-suspected-cancer' }, ['usc-overdue', 'usc-today']],
    [{ priority: 'routine' }, ['routine-overdue', 'routine-withdrawn-past-due', 'routine-later']],
    // A withdrawn referral past its date owes nothing, so it is not overdue.
    [{ overdueOnly: true }, ['usc-overdue', 'routine-overdue']],
    [{ overdueOnly: true, priority: 'routine' }, ['routine-overdue']],
    [{ state: 'awaiting-review', priority: 'urgent' }, ['urgent-later']],
    [{ state: 'in-review', overdueOnly: true }, []],
  ] as [Partial<QueueFilter>, string[]][])('%o shows %o, in queue order', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });

  it('counts the whole queue whatever is shown', () => {
    expect(countQueue(QUEUE, TODAY)).toEqual({
      total: 6,
      byState: { 'awaiting-review': 4, 'in-review': 1, withdrawn: 1 },
      byPriority: { routine: 3, urgent: 1, 'urgent-suspected-cancer': 2 },
      overdue: 2,
      dueToday: 1,
    });
    expect(countQueue([], TODAY).total).toBe(0);
  });

  it('steps each filter through its choices and back to all', () => {
    const states: string[] = [];
    let filter = NO_FILTER;
    for (let i = 0; i < 4; i++) states.push((filter = nextStateFilter(filter)).state);
    expect(states).toEqual(['awaiting-review', 'in-review', 'withdrawn', 'all']);

    const priorities: string[] = [];
    for (let i = 0; i < 4; i++) priorities.push((filter = nextPriorityFilter(filter)).priority);
    expect(priorities).toEqual(['urgent-suspected-cancer', 'urgent', 'routine', 'all']);

    expect(toggleOverdueFilter(NO_FILTER).overdueOnly).toBe(true);
    expect(toggleOverdueFilter(toggleOverdueFilter(NO_FILTER)).overdueOnly).toBe(false);
  });
});
