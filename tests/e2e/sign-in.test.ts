/**
 * Signed out of the server in the middle of a session, as the consultant sees it: a banner says
 * so and that signed work is kept; Sign in goes through the browser and the desk carries on.
 */
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_CLIENT_ID } from '../../electron/hub/hub-auth';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';
import { followAsBrowser } from '../support/test-sign-in';
import { UNHURRIED_MS } from '../support/unhurried';

const DOCS = resolve(__dirname, '../../docs');
/**
 * The consultant's browser: it can be walked away from. The desk waits for it longer than the
 * test runs, except while the test has walked away, when the wait runs out soon.
 */
const browser = { abandon: false, visits: 0 };
let session: BrowserDesk;

beforeAll(async () => {
  session = await launchBrowserDesk({
    cases: 6,
    signIn: {
      clientId: DESK_CLIENT_ID, loginHint: DEMO_CONSULTANTS[0].id,
      get timeoutMs(): number {
        return browser.abandon ? 500 : UNHURRIED_MS;
      },
      openBrowser: async (url) => {
        browser.visits += 1;
        if (!browser.abandon) await followAsBrowser(url);
      },
    },
  });
  await openAtQueue(session);
});

afterAll(async () => {
  await session?.close();
});

describe('signed out mid-session', () => {
  it('says so plainly, keeps working from the cache, and signs in again with one button', async () => {
    const { page, hub, desk } = session;
    expect(await page.locator('.desk-notice').count()).toBe(0);
    hub.revokeTokens({ refreshTokens: true });
    browser.abandon = true;
    await desk.sync();

    const banner = page.locator('.desk-notice.alert');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Signed out of the server \(Sign-in failed: the browser did not come back.*\)\. The cache stays readable; outcomes you sign are\s*kept and sent once you sign in again\./);
    await page.keyboard.press('Enter'); // the cache still opens cases
    await page.locator('.patient-banner').waitFor();
    await page.screenshot({ path: join(DOCS, 'signed-out.png') });
    await page.keyboard.press('Escape');

    browser.abandon = false;
    const visits = browser.visits;
    await banner.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.desk-notice').count()).toBe(0);
    expect(browser.visits).toBe(visits + 1);
    expect((await desk.handlers['auth.status'](undefined)).state).toBe('signed-in');
    expect(session.pageErrors).toEqual([]);
  });
});
