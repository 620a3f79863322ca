/**
 * A computer whose clock is far from the server's, as the consultant meets it: the queue comes
 * as usual, and a notice above it says how far and what to do.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';

const DOCS = resolve(__dirname, '../../docs');
let session: BrowserDesk;

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 6, hubClockOffsetMs: 25 * 60_000, viewport: { width: 1280, height: 800 } });
  await openAtQueue(session);
});

afterAll(async () => {
  await session?.close();
});

describe("a clock far from the server's", () => {
  it('is said above the queue, in minutes, with what to do', async () => {
    const { page } = session;
    const notice = page.locator('.desk-notice', { hasText: 'clock' });
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/This computer's clock is 25 minutes behind the FHIR server's\..*ask IT to set this computer's clock/);
    expect(await page.locator('table.queue tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(DOCS, 'clock-skew.png') });
    expect(session.pageErrors).toEqual([]);
  });
});
