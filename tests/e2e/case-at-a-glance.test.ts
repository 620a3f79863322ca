/**
 * What a consultant sees and reaches by key, at 1280×800 and 1920×1080: the referral banner
 * (priority, due or overdue, the three consents, the outcome's urgency and target date) always in
 * view; completeness warnings in view whichever case j opens; one key each to the questionnaire
 * and the consents; outcome and urgency keys anywhere in a case, never colliding with the
 * viewer's; Sign in view for every kind; the list of keys whole on screen; nothing wider than the
 * window. The production renderer in Chromium, the real services, the demo hub on loopback.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDate } from '../../shared/clock/working-days';
import { completenessWarnings } from '../../shared/domain/completeness';
import { CONSENT_KINDS, REFERRER_PRIORITY_LABELS, type ReferralSummary } from '../../shared/domain/referral';
import { KEYMAP } from '../../shared/keymap';
import { OUTCOME_KIND, OUTCOME_KINDS } from '../../shared/outcome/outcome-kinds';
import { BUILT_IN_TEMPLATES } from '../../shared/outcome/templates';
import { imagesAtRest, launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';

const DOCS = resolve(__dirname, '../../docs');

/** Whether an element lies wholly inside the window. */
const inWindow = (page: Page, selector: string): Promise<boolean> =>
  page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;
  });

/** Elements whose content is wider than they are (cut off or scrolling sideways), as "selector: scroll > client". */
const overflowing = (page: Page, selectors: string[]): Promise<string[]> =>
  page.evaluate((wanted) => {
    const found: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth) found.push(`page: ${document.documentElement.scrollWidth} > ${window.innerWidth}`);
    for (const selector of wanted) {
      for (const el of document.querySelectorAll<HTMLElement>(selector)) {
        if (el.scrollWidth > el.clientWidth + 1) found.push(`${selector}: ${el.scrollWidth} > ${el.clientWidth} (${el.textContent?.slice(0, 40)})`);
      }
    }
    return found;
  }, selectors);

describe.each([
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
])('at $width×$height', (viewport) => {
  let session: BrowserDesk;
  let queue: ReferralSummary[];
  const today = londonDate(new Date());

  beforeAll(async () => {
    session = await launchBrowserDesk({ cases: 24, viewport });
    await openAtQueue(session);
    queue = await session.desk.handlers['queue.list'](undefined);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows each row whole where it matters: NHS number and due date never cut, site and complaint, a dermoscopy mark', async () => {
    const { page } = session;
    expect(await overflowing(page, ['.queue-scroll', 'table.queue td.nhs', 'table.queue td.due'])).toEqual([]);
    for (const referral of queue.slice(0, 12)) {
      const row = page.locator(`tr[data-referral-id="${referral.referralId}"]`);
      expect(await row.locator('td.complaint').textContent()).toBe(`${referral.lesionSite} · ${referral.reason}`);
      expect(await row.locator('.dermoscopy').textContent()).toBe(referral.dermoscopySent ? 'D' : 'no D');
    }
  });

  it('keeps the banner in view with priority, due or overdue, and the three consents', async () => {
    const { page } = session;
    await page.keyboard.press('Enter');
    const first = queue[0]!;
    const detail = await session.desk.handlers['case.open']({ referralId: first.referralId });
    const banner = page.getByRole('group', { name: 'Referral at a glance' });
    await banner.waitFor();
    expect(await inWindow(page, '.referral-banner')).toBe(true);
    const text = (await banner.textContent()) ?? '';
    expect(text).toContain(REFERRER_PRIORITY_LABELS[detail.referrerPriority]);
    expect(text.includes('Overdue')).toBe(detail.dueDate < today);
    const chips = await banner.locator('.consent-chip').evaluateAll((els: Element[]): string[] => els.map((e) => e.className.replace('consent-chip ', '')));
    expect(chips).toEqual(CONSENT_KINDS.map((kind) => {
      const consent = detail.consents.find((c) => c.kind === kind);
      return consent === undefined ? 'unknown' : consent.permitted ? 'yes' : 'no';
    }));
    expect(await overflowing(page, ['.case', '.image-strip', '.referral-banner'])).toEqual([]);
  });

  it('reaches the questionnaire and the consents with one key each, and the next case opens at its top, warnings in view', async () => {
    const { page } = session;
    await page.keyboard.press('q');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('referral-questionnaire');
    expect(await inWindow(page, '#referral-questionnaire')).toBe(true);
    await page.keyboard.press('C');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('referral-consents');
    expect(await inWindow(page, '#referral-consents')).toBe(true);
    await page.keyboard.press('q'); // the column scrolled down, as far as it goes
    expect(await page.locator('aside.referral').evaluate((el) => el.scrollTop)).toBeGreaterThan(0);

    // j from there: each case opens at its top, its warnings and banner in view.
    for (let step = 1; step <= 4; step++) {
      await page.keyboard.press('j');
      const next = queue[step]!;
      await expect.poll(() => page.locator('.patient-banner .patient-name').textContent()).toBe(next.patientName);
      const detail = await session.desk.handlers['case.open']({ referralId: next.referralId });
      const warnings = completenessWarnings(detail);
      expect(await page.locator('aside.referral').evaluate((el) => el.scrollTop)).toBe(0);
      expect(await inWindow(page, '.referral-banner')).toBe(true);
      if (warnings.length > 0) {
        expect(await inWindow(page, '.case > .completeness')).toBe(true);
        expect(await page.getByRole('region', { name: 'Completeness' }).textContent()).toContain(warnings[0]);
      }
      await page.keyboard.press('q');
    }
  });

  it('takes outcome and urgency keys anywhere in a case, the viewer keeping its own, and shows them in the banner', async () => {
    const { page } = session;
    await page.keyboard.press('Escape'); // out of the column, back to the queue
    await page.keyboard.press('Enter');
    await imagesAtRest(page);
    const zoom = async (): Promise<number> => Number(await page.locator('.viewer-canvas').getAttribute('data-image-zoom'));
    const chosen = (): Promise<string | null> => page.locator('.kinds [aria-checked="true"]').textContent();
    await page.keyboard.press('z'); // one image pixel to one screen pixel
    await expect.poll(zoom).toBeCloseTo(1, 2);
    await page.keyboard.press('5'); // over the image: the outcome, not the zoom
    await expect.poll(chosen).toContain(OUTCOME_KIND.biopsy.label);
    expect(await zoom()).toBeCloseTo(1, 2);
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.locator('.outcome-glance').textContent()).toMatch(new RegExp(`${OUTCOME_KIND.biopsy.label} · Two weeks.* · see by \\w{3} \\d{1,2} \\w{3}`));

    // A template, then an urgency key: the urgency is the one pressed.
    const bcc = BUILT_IN_TEMPLATES.find((t) => t.id === 'suspected-bcc')!;
    await page.keyboard.press(bcc.key);
    await expect.poll(() => page.locator('.outcome-glance').textContent()).toContain('Routine');
    await page.keyboard.press('Alt+2');
    await expect.poll(() => page.locator('.outcome-glance').textContent()).toContain('Urgent: within 6 weeks');
    await page.screenshot({ path: `${DOCS}/case-banner-${viewport.width}.png` });
  });

  it('keeps the focus on the chosen kind and Sign in view, whatever the kind', async () => {
    const { page } = session;
    await page.keyboard.press('o');
    for (const kind of OUTCOME_KINDS) {
      await page.keyboard.press(OUTCOME_KIND[kind].key);
      // Waited for by what changes with the key (the focused kind's name), then checked chosen.
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain(OUTCOME_KIND[kind].label);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-checked'))).toBe('true');
      expect(await inWindow(page, 'button.sign'), `Sign for ${kind}`).toBe(true);
    }
    await page.keyboard.press('Alt+d'); // the draft goes: the next test starts clean
    await page.keyboard.press('Escape');
  });

  it('lists every key of every scope in one window, nothing cut off', async () => {
    const { page } = session;
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    const fits = await help.evaluate((el) => ({ high: el.scrollHeight <= el.clientHeight + 1, wide: el.scrollWidth <= el.clientWidth + 1 }));
    expect(fits).toEqual({ high: true, wide: true });
    expect(await inWindow(page, '.help')).toBe(true);
    const text = (await help.textContent()) ?? '';
    for (const binding of KEYMAP) {
      // Runs of keys (the outcome kinds, the urgencies, the pans) are listed as one line, each key's choice after its word.
      const what = binding.label.replace(/^(Outcome|Urgency): /, '').replace(/^Pan /, '');
      expect(text, binding.action).toContain(what);
    }
    for (const title of ['Everywhere', 'In the queue', 'In a case', 'In the outcome form', 'In the command palette', 'Keys that differ between the queue and a case']) {
      expect(text).toContain(title);
    }
    await page.keyboard.press('Escape');
  });
});
