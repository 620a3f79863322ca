/**
 * The case view's promises, each seen in the real renderer: the patient banner stays in view
 * and says who this is (NHS number 3-3-4, age, sex); focus is always visible; a letter typed in
 * a text field is text, not a shortcut; [ and k go back; Esc leaves no viewer behind; the
 * queue's due badges match the dates; the palette offers every action of the case; and the
 * mouse does what the keys do (filter chips, thumbnails, an earlier referral's image).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNhsNumber } from '../../shared/domain/nhs-number';
import { KEYMAP } from '../../shared/keymap';
import { londonDate } from '../../shared/clock/working-days';
import type { CaseDetail, ReferralSummary } from '../../shared/domain/referral';
import { launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';

let session: BrowserDesk;
let queue: ReferralSummary[];
/** The page's time, standing still: its today is the test's today. */
const NOW = new Date();
const TODAY = londonDate(NOW);

const banner = () => session.page.locator('.patient-banner');
const tilesDrawn = async (): Promise<number> => Number(await session.page.locator('.viewer-canvas').first().getAttribute('data-tiles-drawn'));

/** Opens the queue's referral at `index` with the keyboard. */
async function openAt(index: number): Promise<void> {
  const { page } = session;
  await page.keyboard.press('Home');
  for (let i = 0; i < index; i++) await page.keyboard.press('j');
  await page.locator(`table.queue tr[aria-selected="true"][data-referral-id="${queue[index]!.referralId}"]`).waitFor();
  await page.keyboard.press('Enter');
  await expect.poll(() => banner().locator('.patient-name').textContent()).toBe(queue[index]!.patientName);
}

beforeAll(async () => {
  // Short enough that the case's details scroll.
  session = await launchBrowserDesk({ cases: 40, viewport: { width: 1280, height: 560 }, now: NOW, pageTime: NOW });
  await openAtQueue(session);
  queue = await session.desk.handlers['queue.list'](undefined);
});

afterAll(async () => {
  await session?.close();
});

describe('the case view', () => {
  it('keeps the patient banner in view with NHS number 3-3-4, age and sex, however far the details scroll', async () => {
    const { page, desk } = session;
    await openAt(0);
    const detail: CaseDetail = await desk.handlers['case.open']({ referralId: queue[0]!.referralId });
    const text = (await banner().textContent()) ?? '';
    expect(text).toContain(formatNhsNumber(detail.nhsNumber));
    expect(formatNhsNumber(detail.nhsNumber)).toMatch(/^\d{3} \d{3} \d{4}$/);
    const born = detail.birthDate ?? '';
    expect(born).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const [bornYear, bornMonthDay] = [Number(born.slice(0, 4)), born.slice(5, 10)];
    const age = Number(TODAY.slice(0, 4)) - bornYear - (TODAY.slice(5, 10) < bornMonthDay ? 1 : 0);
    expect(text).toContain(`(${age} y)`);
    expect(text).toContain({ female: 'Female', male: 'Male', other: 'Other', unknown: 'Not known' }[detail.sex ?? 'unknown']);
    expect(detail.sex).not.toBeNull();

    // Every scrollable part of the page scrolled to its end: the banner is still the topmost thing at its place.
    const scrolled = await page.evaluate(() => {
      let count = 0;
      for (const el of Array.from(document.querySelectorAll<HTMLElement>('*'))) {
        if (el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).overflowY !== 'visible') {
          el.scrollTop = el.scrollHeight;
          count += 1;
        }
      }
      window.scrollTo(0, document.body.scrollHeight);
      return count;
    });
    expect(scrolled).toBeGreaterThan(0);
    const onTop = await page.evaluate(() => {
      const b = document.querySelector('.patient-banner')!.getBoundingClientRect();
      const hit = document.elementFromPoint(b.left + 20, b.top + b.height / 2);
      return b.top >= 0 && b.bottom <= window.innerHeight && !!hit?.closest('.patient-banner');
    });
    expect(onTop).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('shows where focus is: the focused control has a visible outline', async () => {
    const { page } = session;
    await openAt(1);
    await page.keyboard.press('o'); // the outcome form
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.outcome-panel'))).toBe(true);
    for (let i = 0; i < 3; i++) {
      const outline = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), tag: el.tagName };
      });
      expect(outline.style, `focused ${outline.tag}`).not.toBe('none');
      expect(outline.width).toBeGreaterThanOrEqual(2);
      await page.keyboard.press('Tab');
    }
  });

  it('types shortcut letters into a text field as text: no case change, no help, no comparison', async () => {
    const { page } = session;
    const field = page.locator('.outcome-panel textarea, .outcome-panel input:not([type])').first();
    await field.focus();
    await field.fill('');
    const name = await banner().locator('.patient-name').textContent();
    const image = await page.locator('.viewer-canvas').getAttribute('data-image-id');
    await page.keyboard.type('jk]c?p0+r');
    expect(await field.inputValue()).toBe('jk]c?p0+r');
    expect(await banner().locator('.patient-name').textContent()).toBe(name);
    expect(await page.locator('.viewer-canvas').getAttribute('data-image-id')).toBe(image);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await page.locator('.compare').count()).toBe(0);
    await field.fill('');
    await page.keyboard.press('Escape'); // leaves the form
  });

  it('[ goes to the previous image and k to the previous referral', async () => {
    const { page } = session;
    const canvas = page.locator('.viewer-canvas');
    const first = await canvas.getAttribute('data-image-id');
    await page.keyboard.press(']');
    await expect.poll(() => canvas.getAttribute('data-image-id')).not.toBe(first);
    await page.keyboard.press('[');
    await expect.poll(() => canvas.getAttribute('data-image-id')).toBe(first);
    await page.keyboard.press('k');
    await expect.poll(() => banner().locator('.patient-name').textContent()).toBe(queue[0]!.patientName);
    await expect.poll(tilesDrawn).toBeGreaterThan(0);
  });

  it('opens the next case at its top: its reason, warnings and form not scrolled away as the last one was', async () => {
    const { page } = session;
    const columns = ['.referral', '.outcome-panel'];
    const scrollTops = (): Promise<number[]> => page.evaluate((selectors) => selectors.map((s) => document.querySelector(s)?.scrollTop ?? -1), columns);
    await page.evaluate((selectors) => {
      for (const s of selectors) {
        const el = document.querySelector<HTMLElement>(s);
        if (el) el.scrollTop = el.scrollHeight;
      }
    }, columns);
    const before = await scrollTops();
    expect(before[0]).toBeGreaterThan(0); // the details do scroll at this height: the check below can fail
    await page.keyboard.press('j');
    await expect.poll(() => banner().locator('.patient-name').textContent()).toBe(queue[1]!.patientName);
    expect(await scrollTops()).toEqual([0, 0]);
    expect(await page.locator('.referral').count()).toBe(1); // the last case's details gone, not left beside
    // Back to the first case, its image drawn, as the tests after this one expect.
    await page.keyboard.press('k');
    await expect.poll(() => banner().locator('.patient-name').textContent()).toBe(queue[0]!.patientName);
    await expect.poll(tilesDrawn).toBeGreaterThan(0);
  });

  it('leaves no viewer behind on Esc back to the queue', async () => {
    const { page } = session;
    expect(await page.locator('.openseadragon-container').count()).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await page.locator('table.queue').waitFor();
    expect(await page.locator('.viewer-canvas').count()).toBe(0);
    expect(await page.locator('.openseadragon-container').count()).toBe(0);
    expect(await page.locator('canvas').count()).toBe(0);
  });

  it('badges overdue and due-today referrals by their due dates', async () => {
    const { page } = session;
    const rows = await page.locator('table.queue tbody tr[data-referral-id]').evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-referral-id'), text: tr.textContent ?? '' })),
    );
    expect(rows.length).toBeGreaterThan(5);
    const today = TODAY;
    let overdue = 0;
    for (const row of rows) {
      const r = queue.find((q) => q.referralId === row.id)!;
      const expected = r.state === 'withdrawn' ? '' : r.dueDate < today ? 'Overdue' : r.dueDate === today ? 'Due today' : '';
      if (expected === 'Overdue') overdue += 1;
      expect(row.text.includes('Overdue'), `${r.referralId} due ${r.dueDate}`).toBe(expected === 'Overdue');
      expect(row.text.includes('Due today'), `${r.referralId} due ${r.dueDate}`).toBe(expected === 'Due today');
    }
    expect(overdue).toBeGreaterThan(0);
  });

  it('offers every action of the case in the command palette', async () => {
    const { page } = session;
    await openAt(0);
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    const offered = await palette.getByRole('option').allTextContents();
    const expected = KEYMAP.filter((b) => b.scopes.includes('case') && b.action !== 'palette.open').map((b) => b.label);
    const missing = expected.filter((label) => !offered.some((o) => o.startsWith(label)));
    expect(missing).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => palette.count()).toBe(0);
  });

  it('does by mouse what the keys do: thumbnails, an earlier referral’s image, filter chips', async () => {
    const { page, desk } = session;
    // A thumbnail click shows that image.
    const strip = page.getByRole('navigation', { name: 'Images in this referral' }).getByRole('button');
    await expect.poll(() => strip.count()).toBeGreaterThan(1);
    const second = await strip.nth(1).locator('img').getAttribute('data-image-id');
    await strip.nth(1).click();
    await expect.poll(() => page.locator('.viewer-canvas').first().getAttribute('data-image-id')).toBe(second);

    // An earlier referral's image, chosen from the list, opens beside this one.
    let withEarlier = -1;
    for (const [i, r] of queue.entries()) {
      const d = await desk.handlers['case.open']({ referralId: r.referralId });
      if (d.earlierReferrals.some((e) => e.images.length > 0)) {
        withEarlier = i;
        break;
      }
    }
    expect(withEarlier).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Escape');
    await openAt(withEarlier);
    const earlierButton = page.locator('.earlier-images button').first();
    await earlierButton.click();
    await expect.poll(() => page.locator('.compare .viewer-caption').allTextContents()).toEqual([
      expect.stringMatching(/^This referral: /), expect.stringMatching(/^Earlier referral, received /),
    ]);
    expect(await earlierButton.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.compare').count()).toBe(0);
    await page.keyboard.press('Escape');

    // A filter chip by mouse filters as its key does.
    await page.locator('table.queue').waitFor();
    const overdueChip = page.locator('.queue-filters .chip', { hasText: 'Overdue' });
    await overdueChip.click();
    await expect.poll(() => overdueChip.getAttribute('aria-pressed')).toBe('true');
    const shown = await page.locator('table.queue tbody tr[data-referral-id]').allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    for (const text of shown) expect(text).toContain('Overdue');
    await overdueChip.click();
    await expect.poll(() => overdueChip.getAttribute('aria-pressed')).toBe('false');
  });
});
