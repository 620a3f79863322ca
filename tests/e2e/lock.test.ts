/**
 * The locked desk: after the idle time (short here) the patient's details leave the page, not
 * just the view; the consultant unlocks deliberately and is back in the same case. Ctrl+L locks
 * at once. The page's clock is Playwright's: the test moves it on, so idle time is the page's
 * time that the test let pass, not how long the machine took.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';

const DOCS = resolve(__dirname, '../../docs');
const LOCK_AFTER_MS = 3000;
let session: BrowserDesk;

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 8, lockAfterMs: LOCK_AFTER_MS });
  // The page's time stands still from the start: no idle lock before the test lets time pass.
  // The fake clock runs from install until paused, so it starts a minute early and is paused at
  // now: pausing just after the install time fails once the machine takes longer than the gap
  // between the two calls. The page is still blank, so no timer of the desk's runs meanwhile.
  const start = Date.now();
  await session.page.clock.install({ time: start - 60_000 });
  await session.page.clock.pauseAt(start);
  await openAtQueue(session);
});

afterAll(async () => {
  await session?.close();
});

describe('the locked desk', () => {
  it('hides every patient detail after the idle time, and unlocks into the same case', async () => {
    const { page } = session;
    await page.keyboard.press('Enter');
    const name = (await page.locator('.patient-banner .patient-name').textContent()) ?? '';
    const nhs = (await page.locator('.patient-banner .nhs').first().textContent()) ?? '';
    expect(name.length).toBeGreaterThan(3);
    const locked = page.getByRole('dialog', { name: 'Desk locked' });
    /** Lets the page's clock run on, its idle checks firing on the way; the lock renders at once if one locks. */
    const idleFor = async (ms: number): Promise<void> => {
      await page.clock.runFor(ms);
      await page.evaluate(() => Promise.resolve());
    };

    // Activity keeps it open: 1.8 s after one key and 1.8 s after another, 3.6 s in all, is
    // longer than the idle time, yet the desk stays open because the second key started it again.
    await page.keyboard.press(']');
    await idleFor(LOCK_AFTER_MS * 0.6);
    await page.keyboard.press('[');
    await idleFor(LOCK_AFTER_MS * 0.6);
    expect(await locked.count()).toBe(0);

    // Idle past the time since the last key: it locks.
    await idleFor(LOCK_AFTER_MS * 0.6);
    await locked.waitFor();
    const html = await page.content();
    expect(html).not.toContain(name);
    expect(html).not.toContain(nhs.trim());
    expect(await page.locator('.patient-banner, table.queue, .viewer-canvas').count()).toBe(0);
    await page.screenshot({ path: `${DOCS}/locked.png` });

    // Keys do nothing while locked but unlock: j would otherwise open the next case.
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.patient-banner .patient-name').textContent()).toBe(name);
    expect(await page.getByRole('dialog', { name: 'Desk locked' }).count()).toBe(0);
  });

  it('locks at once with Ctrl+L', async () => {
    const { page } = session;
    // The clock stands still, so nothing but the key can lock it.
    expect(await page.getByRole('dialog', { name: 'Desk locked' }).count()).toBe(0);
    await page.keyboard.press('Control+l');
    await page.getByRole('dialog', { name: 'Desk locked' }).waitFor();
    expect(await page.locator('.patient-banner').count()).toBe(0);
    await page.keyboard.press('Enter');
    await page.locator('.patient-banner').waitFor();
    expect(session.pageErrors).toEqual([]);
  });
});
