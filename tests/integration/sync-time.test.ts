/**
 * Time from the server: a resource stamped in the future (a clock ahead, a bad import) must not
 * move the next sync's start past the server's now, or every later change would be out of sight;
 * and a computer clock far from the server's is said.
 */
import type { ServiceRequest } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { openDesk, type Desk } from '../../electron/services/desk';
import { openCacheFile } from '../support/cache-file';
import { tempDir } from '../support/temp-dir';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { UNHURRIED_MS } from '../support/unhurried';

const HOUR = 3_600_000;

let hub: DemoHub;
let desk: Desk;
let dir: ReturnType<typeof tempDir>;

async function start(options: { without?: string[]; clockOffsetMs?: number } = {}): Promise<void> {
  hub = await startDemoHub({ cases: 12, seed: 8, ...options });
  dir = tempDir('desk-time');
  desk = openDesk({
    keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service },
    tileBaseUrl: 'x', prefetchCases: 0, fhir: { timeoutMs: UNHURRIED_MS },
  });
}

afterEach(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

/** A new referral on the hub, a copy of ref-0001 stamped `at`, as another system would write it. */
async function referralStamped(id: string, at: Date): Promise<void> {
  const headers = { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` };
  const template = (await (await fetch(`${hub.baseUrl}/ServiceRequest/ref-0001`, { headers })).json()) as ServiceRequest;
  await hub.putResources([{ ...template, id, status: 'active', meta: { versionId: '1', lastUpdated: at.toISOString() } }]);
}

const queued = async (): Promise<string[]> => (await desk.handlers['queue.list'](undefined)).map((r) => r.referralId);

const checkpoint = (): string => {
  const db = openCacheFile(dir.path, { readonly: true });
  try {
    return (db.prepare("SELECT value FROM sync_state WHERE key = 'checkpoint'").get() as { value: string }).value;
  } finally {
    db.close();
  }
};

describe('a resource stamped in the future', () => {
  it.each([
    ['a server that gives its pages a time', []],
    ['a server that gives only its Date header', ['bundle-time']],
    ['a server that gives no time at all', ['bundle-time', 'date-header']],
  ])('is taken, and later changes still arrive, from %s', async (_server, without) => {
    await start({ without });
    await referralStamped('ref-ahead', new Date(Date.now() + HOUR));
    expect((await desk.sync()).state).toBe('idle');
    expect(await queued()).toContain('ref-ahead');
    // The next sync starts no later than now, not from the referral an hour ahead.
    expect(Date.parse(checkpoint())).toBeLessThanOrEqual(Date.now());
    await referralStamped('ref-after', new Date());
    expect((await desk.sync()).state).toBe('idle');
    expect(await queued()).toContain('ref-after');
  });
});

describe("this computer's clock against the server's", () => {
  const skewNotice = async (): Promise<string | undefined> => (await desk.handlers['desk.info'](undefined)).notices.find((n) => n.id === 'clock-skew')?.message;

  it('says nothing when they agree', async () => {
    await start();
    expect((await desk.sync()).state).toBe('idle');
    expect(await skewNotice()).toBeUndefined();
  });

  it.each([
    [20 * 60_000, /clock is 20 minutes behind the FHIR server's/],
    [-3 * HOUR, /clock is 3 hours ahead of the FHIR server's/],
  ])('says so when the server is %i ms off, and syncs all the same', async (offset, says) => {
    await start({ clockOffsetMs: offset });
    expect((await desk.sync()).state).toBe('idle');
    expect(await skewNotice()).toMatch(says);
    expect((await queued()).length).toBeGreaterThan(0);
  });
});
