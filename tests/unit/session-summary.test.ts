import { describe, expect, it } from 'vitest';
import { formatDuration, median, summariseSession } from '../../shared/session/session-summary';
import type { SignedOutcome } from '../../shared/outcome/outcome';

type Signed = Pick<SignedOutcome, 'referralId' | 'kind' | 'signedAt' | 'signedBy' | 'state'>;
const SINCE = '2026-11-25T09:00:00.000Z';
const ME = 'consultant-1';
const signed = (referralId: string, kind: Signed['kind'], signedAt: string, over: Partial<Signed> = {}): Signed => ({
  referralId, kind, signedAt, signedBy: ME, state: 'sent', ...over,
});

describe('session summary', () => {
  it.each([
    [[], null],
    [[5], 5],
    [[30, 10, 20], 20],
    [[40, 10, 20, 30], 25],
  ])('median of %o is %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('counts cases signed this session by this consultant, once each, timed from first opening', () => {
    const opened = new Map([
      ['ref-1', '2026-11-25T09:01:00.000Z'],
      ['ref-2', '2026-11-25T09:05:00.000Z'],
      ['ref-3', '2026-11-25T09:10:00.000Z'],
    ]);
    const summary = summariseSession(
      [
        signed('ref-1', 'no-action', '2026-11-25T09:01:40.000Z'), // 40 s
        signed('ref-2', 'clinic', '2026-11-25T09:06:00.000Z', { state: 'undone' }), // taken back
        signed('ref-2', 'biopsy', '2026-11-25T09:07:00.000Z', { state: 'queued' }), // 120 s, signed again
        signed('ref-3', 'treatment', '2026-11-25T09:11:30.000Z', { state: 'failed' }), // 90 s: signed, not yet sent
        signed('ref-4', 'treatment', '2026-11-25T09:20:00.000Z'), // never opened this session: counted, not timed
        signed('ref-5', 'clinic', '2026-11-25T08:59:59.000Z'), // before the session
        signed('ref-6', 'clinic', '2026-11-25T09:30:00.000Z', { signedBy: 'consultant-2' }), // a colleague's
      ],
      opened,
      SINCE,
      ME,
    );
    expect(summary.completed).toBe(4);
    expect(summary.medianSeconds).toBe(90);
    expect(summary.byKind).toMatchObject({ 'no-action': 1, biopsy: 1, treatment: 2, clinic: 0 });
  });

  it.each([
    [0.3, 'under 1 s'],
    [0.6, '1 s'],
    [44.6, '45 s'],
    [60, '1 min 00 s'],
    [185, '3 min 05 s'],
  ])('writes %s seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
