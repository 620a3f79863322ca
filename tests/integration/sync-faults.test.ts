/**
 * Sync against a misbehaving server: the demo hub with scripted faults on loopback. Requests
 * are given far longer than any test takes, so on a slow machine no healthy answer times out and
 * adds a request; the one test of a timeout holds its answer until the desk has asked again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { AnswerGate, FaultPlan, type FaultRule, type FaultSource } from '../../electron/hub/faults';
import { WITHDRAWN_EVERY } from '../../electron/hub/generator/referral-cases';
import { openDesk, type Desk } from '../../electron/services/desk';
import type { FhirClientOptions } from '../../electron/services/fhir/fhir-client';
import { PAGE_SIZE } from '../../electron/services/sync/pull-sync';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';

/** A page of a sync's first search, for the service's referrals (not a patient's earlier ones). */
const REFERRAL_PAGE = /^GET \/fhir\/ServiceRequest\?performer=[^&]+&(status|_lastUpdated)=/;
/** Its first page (later pages carry a cursor), and the next. */
const FIRST_PAGE = new RegExp(`${REFERRAL_PAGE.source}(?!.*_cursor)`);
const NEXT_PAGE = new RegExp(`${REFERRAL_PAGE.source}.*_cursor=`);
/** Enough for two pages of referrals; one in twenty arrives withdrawn, and is not counted as waiting. */
const CASES = PAGE_SIZE + 10;
const WAITING = CASES - Math.floor(CASES / WITHDRAWN_EVERY);

let hub: DemoHub;
let desk: Desk;
let dir: ReturnType<typeof tempDir>;

async function start(rules: FaultRule[] | FaultSource, timing: Pick<FhirClientOptions, 'timeoutMs' | 'timeoutSignal'> = {}): Promise<FaultPlan> {
  const faults = new FaultPlan();
  if (Array.isArray(rules)) for (const rule of rules) faults.add(rule);
  hub = await startDemoHub({ cases: CASES, seed: 4, now: new Date('2026-11-25T12:00:00Z'), faults: Array.isArray(rules) ? faults : rules });
  dir = tempDir('desk-faults');
  desk = openDesk({
    keyWrap: TEST_KEY_WRAP,
    signIn: TEST_SIGN_IN,
    dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0,
    fhir: { timeoutMs: UNHURRIED_MS, ...timing, retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100 } },
  });
  return faults;
}

afterEach(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

const pageRequests = (): string[] => hub.requests.filter((r) => REFERRAL_PAGE.test(r));

describe('sync retries what is worth retrying', () => {
  it.each([
    ['two 500s', { match: FIRST_PAGE, times: 2, fault: { kind: 'status', status: 500 } }, 2],
    ['a 503 on a later page', { match: NEXT_PAGE, times: 1, fault: { kind: 'status', status: 503 } }, 1],
    ['a dropped connection', { match: NEXT_PAGE, times: 1, fault: { kind: 'drop' } }, 1],
    ['a body cut short', { match: FIRST_PAGE, times: 1, fault: { kind: 'truncate' } }, 1],
  ] as const)('recovers from %s and syncs everything once', async (_what, rule, extraRequests) => {
    const faults = await start([rule]);
    const status = await desk.sync();
    expect(status).toMatchObject({ state: 'idle', casesInCache: WAITING, problem: null });
    expect(faults.pending()).toBe(0);
    // The referrals come in two pages; each fault costs exactly one extra request.
    expect(pageRequests()).toHaveLength(2 + extraRequests);
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(CASES);
  });

  it('recovers from an answer slower than the timeout and syncs everything once', async () => {
    // The first page's answer is held; once the hub holds it, the test runs the desk's time for
    // it out (as a timeout would), and the desk asks again.
    const gate = new AnswerGate();
    const expired = new AbortController();
    await start(
      { take: (request) => (FIRST_PAGE.test(request) && !expired.signal.aborted ? { kind: 'held', gate } : undefined) },
      { timeoutSignal: (ms, url) => (expired.signal.aborted || !FIRST_PAGE.test(`GET ${url.pathname}${url.search}`) ? AbortSignal.timeout(ms) : expired.signal) },
    );
    const syncing = desk.sync();
    await gate.held();
    expired.abort(new DOMException('the test ran the time out', 'TimeoutError'));
    expect(await syncing).toMatchObject({ state: 'idle', casesInCache: WAITING, problem: null });
    gate.open();
    // The referrals come in two pages; the answer that never came costs exactly one extra request.
    expect(pageRequests()).toHaveLength(3);
    expect(pageRequests().filter((r) => FIRST_PAGE.test(r))).toHaveLength(2);
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(CASES);
  });

  it('waits as long as a 429 Retry-After says before trying again', async () => {
    await start([{ match: FIRST_PAGE, times: 1, fault: { kind: 'status', status: 429, retryAfter: '1' } }]);
    const started = performance.now();
    const status = await desk.sync();
    expect(status.state).toBe('idle');
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a 4xx other than 429: one request, a failed sync that says why', async () => {
    await start([{ match: FIRST_PAGE, times: 1, fault: { kind: 'status', status: 403 } }]);
    const status = await desk.sync();
    expect(status.state).toBe('failed');
    expect(status.problem).toMatch(/answered 403/);
    expect(pageRequests()).toHaveLength(1);
  });

  it('gives up after the last attempt and keeps what the cache had', async () => {
    const faults = await start([]);
    await desk.sync();
    const before = pageRequests().length;
    faults.add({ match: FIRST_PAGE, times: 10, fault: { kind: 'status', status: 503 } });
    const status = await desk.sync();
    expect(status).toMatchObject({ state: 'failed', casesInCache: WAITING });
    expect(status.problem).toMatch(/answered 503/);
    expect(pageRequests().length - before).toBe(4);
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(CASES);
  });
});

describe('a server cannot hold the desk open', () => {
  it('closes while the server holds an answer for ever: the sync stops, and what it had is kept', async () => {
    // The second page of referrals never comes; the desk's own deadline is far away.
    const gate = new AnswerGate();
    await start({ take: (request) => (NEXT_PAGE.test(request) ? { kind: 'held', gate } : undefined) });
    const syncing = desk.sync();
    await gate.held();
    // The first page's cases are written whole before the desk closes.
    await expect.poll(async () => (await desk.handlers['queue.list'](undefined)).length, { timeout: UNHURRIED_MS }).toBeGreaterThan(0);
    const kept = (await desk.handlers['queue.list'](undefined)).length;
    await desk.close();
    const status = await syncing;
    expect(status.state).toBe('failed');
    expect(status.problem).toMatch(/the desk is closing/);
    gate.open();
    // Opened again, the first page's cases are there, and the next sync completes the rest.
    desk = openDesk({
      keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service },
      tileBaseUrl: 'x', prefetchCases: 0, fhir: { timeoutMs: UNHURRIED_MS },
    });
    expect((await desk.handlers['queue.list'](undefined)).length).toBeGreaterThanOrEqual(kept);
    expect(await desk.sync()).toMatchObject({ state: 'idle', casesInCache: WAITING });
  });
});

