/**
 * Comparing images from the keyboard: c puts the next image beside this one, p the same site in
 * the patient's earlier referral; zoom and pan stay locked together; Esc leaves the comparison.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeLesionSite } from '../../shared/domain/body-map';
import type { CaseDetail } from '../../shared/domain/referral';
import { DESK_ORIGIN, imagesAtRest, launchBrowserDesk, type BrowserDesk } from '../support/browser-carrier';

const DOCS = resolve(__dirname, '../../docs');
let session: BrowserDesk;
let detail: CaseDetail;

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 40 });
  await session.desk.sync();
  const queue = await session.desk.handlers['queue.list'](undefined);
  // The first referral to review whose patient was referred before for the same site.
  let index = -1;
  for (const [i, r] of queue.entries()) {
    if (r.state !== 'awaiting-review') continue;
    const d = await session.desk.handlers['case.open']({ referralId: r.referralId });
    if (d.earlierReferrals.some((e) => e.lesionSite === d.lesionSite && e.images.length > 0)) {
      detail = d;
      index = i;
      break;
    }
  }
  if (index < 0) throw new Error('no demo referral has an earlier one at the same site');
  const { page } = session;
  await page.goto(`${DESK_ORIGIN}/index.html`);
  await page.locator('table.queue[aria-rowcount="41"]').waitFor();
  for (let i = 0; i < index; i++) await page.keyboard.press('j');
  await page.locator(`table.queue tr[aria-selected="true"][data-referral-id="${detail.referralId}"]`).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.outcome-panel').waitFor();
});

afterAll(async () => {
  await session?.close();
});

const canvases = () => session.page.locator('.viewer-canvas');
const drawn = async (n: number): Promise<number> => Number(await canvases().nth(n).getAttribute('data-tiles-drawn'));
/** Viewport zoom and centre of each viewer, as the viewer reports them when an animation ends. */
const views = async (): Promise<number[][]> =>
  (await canvases().evaluateAll((els) => els.map((el) => (el as HTMLElement).dataset.view ?? ''))).map((v) => v.split(' ').map(Number));

describe('the lesion site and comparing images', () => {
  it('marks the lesion site on the body map', async () => {
    const map = session.page.locator('.body-map');
    const placed = placeLesionSite(detail.lesionSite);
    expect(placed).not.toBeNull();
    expect(await map.getAttribute('data-region')).toBe(placed!.region.id);
    expect(await map.locator(`.site-mark[data-view="${placed!.region.view}"]`).count()).toBe(placed!.marks.length);
    expect(await map.locator('figcaption').textContent()).toContain(placed!.region.label);
  });

  it('c shows the next image beside this one, zoom and pan locked together', async () => {
    const { page } = session;
    await expect.poll(() => drawn(0)).toBeGreaterThan(0);
    await page.keyboard.press('c');
    await expect.poll(() => canvases().count()).toBe(2);
    expect(await canvases().nth(1).getAttribute('data-image-id')).toBe(detail.images[1]!.imageId);
    await expect.poll(() => drawn(1)).toBeGreaterThan(0);

    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    // One state, waited for whole: zoomed in, panned right of the centre, and the two the same.
    // (A view is reported when an animation ends, and one may end between two key presses.)
    await expect
      .poll(async () => {
        const [left, right] = await views();
        return { zoomedIn: left![0]! > 2, pannedRight: left![1]! > 0.5, locked: left!.every((value, i) => Math.abs(value - right![i]!) < 1e-3) };
      })
      .toEqual({ zoomedIn: true, pannedRight: true, locked: true });
    await imagesAtRest(page);
    await page.screenshot({ path: `${DOCS}/compare.png` });

    await page.keyboard.press('c');
    await expect.poll(() => canvases().count()).toBe(1);
    expect(await page.locator('.openseadragon-container').count()).toBe(1); // the second viewer is gone
  });

  it('p shows the same site in the earlier referral, and Esc leaves the comparison, then the case', async () => {
    const { page } = session;
    await page.keyboard.press('p');
    await expect.poll(() => canvases().count()).toBe(2);
    const earlierIds = detail.earlierReferrals.flatMap((e) => e.images.map((i) => i.imageId));
    expect(earlierIds).toContain(await canvases().nth(1).getAttribute('data-image-id'));
    expect(await page.locator('.viewer-caption').nth(1).textContent()).toMatch(/^Earlier referral, received \d{1,2} \w{3} \d{4}: /);
    await expect.poll(() => drawn(1)).toBeGreaterThan(0);
    await imagesAtRest(page);
    await page.screenshot({ path: `${DOCS}/compare-earlier.png` });

    await page.keyboard.press('Escape');
    await expect.poll(() => canvases().count()).toBe(1);
    expect(await page.locator('.patient-banner').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.locator('table.queue').waitFor();
    expect(session.pageErrors).toEqual([]);
  });

  it('does the same by mouse: a double-click opens the case, the Actions button offers every action', async () => {
    const { page } = session;
    await page.locator(`table.queue tr[data-referral-id="${detail.referralId}"]`).dblclick();
    await page.locator('.outcome-panel').waitFor();
    await page.getByRole('button', { name: /^Actions/ }).click();
    await page.getByRole('option', { name: /^Compare with the next image/ }).click();
    await expect.poll(() => canvases().count()).toBe(2);
    await page.getByRole('button', { name: /^Actions/ }).click();
    await page.getByRole('option', { name: /^Back to the queue/ }).click(); // leaves the comparison first
    await expect.poll(() => canvases().count()).toBe(1);
    expect(session.pageErrors).toEqual([]);
  });
});
