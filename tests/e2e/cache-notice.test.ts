/**
 * A cache whose key is gone, as the consultant meets it: the desk starts anyway, says plainly
 * what happened and how many outcomes had not reached the GP, and syncs a fresh queue.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordUnsentOutcomes } from '../../electron/services/cache/unsent-outcomes';
import { launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';

const DOCS = resolve(__dirname, '../../docs');
let session: BrowserDesk;

beforeAll(async () => {
  session = await launchBrowserDesk({
    cases: 6,
    // An encrypted cache left by an earlier run whose key file is gone, with two outcomes unsent.
    prepareDataDir: (dir) => {
      writeFileSync(join(dir, 'desk.sqlite'), randomBytes(8192));
      recordUnsentOutcomes(dir, 2);
    },
  });
  await openAtQueue(session);
});

afterAll(async () => {
  await session?.close();
});

describe('a cache that could not be opened', () => {
  it('is replaced, said plainly with the unsent outcomes counted, until the consultant has read it', async () => {
    const { page } = session;
    const alert = page.locator('.desk-notice.alert');
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toMatch(/encrypted cache could not be opened \(the cache key file is missing\)/);
    expect(text).toMatch(/2 signed outcomes were still waiting to be sent and have NOT reached the GP/);
    expect(await page.locator('table.queue tbody tr').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(DOCS, 'cache-lost.png') });

    await alert.getByRole('button', { name: 'I have read this' }).click();
    await expect.poll(() => page.locator('.desk-notice').count()).toBe(0);
    // Read is remembered by the desk, not just hidden in this page: a restart would not show it again.
    await expect.poll(async () => (await session.desk.handlers['desk.info'](undefined)).notices).toEqual([]);
    expect(session.pageErrors).toEqual([]);
  });
});
