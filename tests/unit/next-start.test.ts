import { describe, expect, it } from 'vitest';
import { serverTimes } from '../../electron/services/fhir/bundle-text';
import { clockSkewMessage } from '../../electron/services/sync/clock-skew';
import { createNextStart } from '../../electron/services/sync/next-start';

const NOW = new Date('2026-12-03T12:00:00.000Z');
const page = (servedAt: string | null, answeredAt: string | null = null) => ({ servedAt, answeredAt });

describe("the server's times for a page", () => {
  it.each([
    ['2026-12-03T12:00:05Z', 'Thu, 03 Dec 2026 12:00:07 GMT', '2026-12-03T12:00:05.000Z', 'the earlier: the page may be from when its search began'],
    ['2026-12-03T12:00:09Z', 'Thu, 03 Dec 2026 12:00:07 GMT', '2026-12-03T12:00:07.000Z', 'the earlier, the header this time'],
    [undefined, 'Thu, 03 Dec 2026 12:00:07 GMT', '2026-12-03T12:00:07.000Z', 'the Date header alone'],
    ['2026-12-03T13:00:05+01:00', null, '2026-12-03T12:00:05.000Z', 'the page time alone, as UTC'],
    ['not a time', 'nor this', null, 'nothing readable'],
    [42, null, null, 'not text'],
  ] as [unknown, string | null, string | null, string][])('%j and %j: %j (%s)', (lastUpdated, date, servedAt) => {
    expect(serverTimes(lastUpdated, date).servedAt).toBe(servedAt);
  });
});

describe('where the next sync starts', () => {
  it.each([
    ['the first page’s server time, whatever changes later pages saw', [[page('2026-12-03T11:59:00.000Z'), '2026-12-03T11:00:00.000Z'], [page('2026-12-03T11:59:30.000Z'), '2026-12-03T11:59:50.000Z']], '2026-12-03T11:59:00.000Z'],
    ['the server’s time, even far from this computer’s', [[page('2027-06-01T00:00:00.000Z'), null]], '2027-06-01T00:00:00.000Z'],
    ['no server time: the newest change seen', [[page(null), '2026-12-03T10:00:00.000Z'], [page(null), '2026-12-03T11:00:00.000Z']], '2026-12-03T11:00:00.000Z'],
    ['no server time: a change stamped in the future counts as now', [[page(null), '2026-12-03T13:00:00.000Z']], NOW.toISOString()],
    ['no server time and a year ahead: still now', [[page(null), '2027-12-03T12:00:00.000Z'], [page(null), '2026-12-03T11:00:00.000Z']], NOW.toISOString()],
    ['no page at all', [], null],
  ] as const)('%s', (_what, pages, expected) => {
    const next = createNextStart(() => NOW);
    for (const [p, newest] of pages) next.see(p, newest);
    expect(next.reached()).toBe(expected);
  });

  it("tells how far the server's clock is from this computer's, once a sync, from the Date header", () => {
    const skews: number[] = [];
    const next = createNextStart(() => NOW, (ms) => skews.push(ms));
    next.see(page('2026-12-03T12:19:00.000Z', '2026-12-03T12:20:00.000Z'), null);
    next.see(page('2026-12-03T12:21:00.000Z', '2026-12-03T12:21:00.000Z'), null);
    expect(skews).toEqual([20 * 60_000]);
  });
});

describe('a clock far from the server’s is said', () => {
  it.each([
    [0, null],
    [4 * 60_000, null],
    [-4 * 60_000, null],
    [20 * 60_000, /clock is 20 minutes behind the FHIR server's/],
    [-20 * 60_000, /clock is 20 minutes ahead of the FHIR server's/],
    [3 * 3_600_000, /3 hours behind/],
    [-400 * 86_400_000, /400 days ahead of/],
    [Number.NaN, null],
  ])('%i ms: %s', (ms, says) => {
    const message = clockSkewMessage(ms);
    if (says === null) expect(message).toBeNull();
    else expect(message).toMatch(says);
  });
});
