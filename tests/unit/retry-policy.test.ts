import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelay } from '../../electron/services/fhir/retry-policy';

const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 60_000 };
const now = Date.parse('2026-11-25T12:00:00Z');

describe('which answers are retried', () => {
  it.each([
    [429, true], [500, true], [502, true], [503, true], [504, true], [408, true],
    [400, false], [401, false], [403, false], [404, false], [409, false], [410, false], [412, false], [422, false], [501, false],
  ])('status %i retried: %s', (status, retried) => {
    expect(isRetryableStatus(status)).toBe(retried);
  });
});

describe('Retry-After', () => {
  it.each([
    [null, null],
    ['', null],
    ['7', 7000],
    [' 0 ', 0],
    ['Wed, 25 Nov 2026 12:00:30 GMT', 30_000],
    ['Wed, 25 Nov 2026 11:59:00 GMT', 0],
    ['soon', null],
    ['-5', null],
  ])('%j waits %j ms', (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });
});

describe('backoff with full jitter, capped', () => {
  it.each([
    // attempt, random, retryAfterMs, expected wait
    [1, 0.999, null, 99],
    [2, 0.999, null, 199],
    [3, 0.5, null, 200],
    [4, 0.999, null, 799],
    [5, 0.5, null, null], // attempts used up
    [4, 0.999, 30_000, 30_000], // the server said how long
    [1, 0.5, 61_000, null], // longer than we will wait: fail now
    [1, 0, null, 0],
  ])('after attempt %i with dice %f and Retry-After %j: wait %j', (attempt, dice, retryAfter, wait) => {
    expect(retryDelay(policy, attempt, retryAfter, () => dice)).toBe(wait);
  });

  it('never waits longer than the cap, however many attempts', () => {
    const generous = { ...policy, maxAttempts: 50 };
    for (let attempt = 1; attempt < 50; attempt++) expect(retryDelay(generous, attempt, null, () => 0.9999)).toBeLessThan(1000);
  });
});
