import { describe, expect, it } from 'vitest';
import { referralsToRemove, type ReferralStanding } from '../../electron/services/cache/retention-rule';

const NOW = new Date('2026-12-03T12:00:00Z');
const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const standing = (id: string, patientId: string, change: Partial<ReferralStanding> = {}): ReferralStanding =>
  ({ id, patientId, finishedSince: daysAgo(20), undelivered: false, sentElsewhere: false, ...change });

describe('finished work leaves the cache after the retention period', () => {
  it.each([
    { what: 'finished 20 days ago, 14 kept', referrals: [standing('a', 'p')], days: 14, removed: ['a'] },
    { what: 'finished exactly 14 days ago', referrals: [standing('a', 'p', { finishedSince: daysAgo(14) })], days: 14, removed: ['a'] },
    { what: 'finished 13 days ago', referrals: [standing('a', 'p', { finishedSince: daysAgo(13) })], days: 14, removed: [] },
    { what: 'still open', referrals: [standing('a', 'p', { finishedSince: null })], days: 14, removed: [] },
    { what: 'an outcome not yet delivered, however old', referrals: [standing('a', 'p', { undelivered: true, finishedSince: daysAgo(400) })], days: 14, removed: [] },
    { what: 'an earlier referral while the patient has an open one', referrals: [standing('old', 'p', { finishedSince: daysAgo(300) }), standing('new', 'p', { finishedSince: null })], days: 14, removed: [] },
    { what: 'an earlier referral while a later one is within retention', referrals: [standing('old', 'p', { finishedSince: daysAgo(300) }), standing('new', 'p', { finishedSince: daysAgo(2) })], days: 14, removed: [] },
    { what: 'a patient whose referrals are all done', referrals: [standing('old', 'p', { finishedSince: daysAgo(300) }), standing('new', 'p')], days: 14, removed: ['old', 'new'] },
    { what: 'other patients are judged alone', referrals: [standing('a', 'p'), standing('b', 'q', { finishedSince: null })], days: 14, removed: ['a'] },
    { what: 'retention 0: whatever is finished goes', referrals: [standing('a', 'p', { finishedSince: NOW.toISOString() })], days: 0, removed: ['a'] },
    { what: 'retention 0, still open', referrals: [standing('a', 'p', { finishedSince: null })], days: 0, removed: [] },
    { what: 'sent to another service: at once, however long the retention', referrals: [standing('a', 'p', { finishedSince: null, sentElsewhere: true })], days: 14, removed: ['a'] },
    { what: 'sent to another service, alone: the patient’s open referral stays', referrals: [standing('a', 'p', { sentElsewhere: true }), standing('b', 'p', { finishedSince: null })], days: 14, removed: ['a'] },
    { what: 'sent to another service with an outcome not yet delivered: kept', referrals: [standing('a', 'p', { sentElsewhere: true, undelivered: true })], days: 0, removed: [] },
  ])('$what', ({ referrals, days, removed }) => {
    expect(referralsToRemove(referrals, NOW, days).sort()).toEqual([...removed].sort());
  });
});
