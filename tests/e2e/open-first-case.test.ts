/**
 * The walking skeleton end to end: the production renderer in Chromium, the real services
 * behind the contract, the demo hub on loopback. Keyboard only: the first case opens and
 * OpenSeadragon draws a tile of its first image.
 */
import { resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_ORIGIN, imagesAtRest, launchBrowserDesk, type BrowserDesk } from '../support/browser-carrier';

const DOCS = resolve(__dirname, '../../docs');
let session: BrowserDesk;

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 40 });
  // One record the desk cannot read, so the sync problems panel has something to show.
  await session.hub.putResources([
    {
      resourceType: 'Media', id: 'media-0007-9', status: 'completed', content: { contentType: 'image/jpeg', url: 'Binary/bin-0007-1' },
      view: { text: 'Side view' }, width: 2048, height: 1536, basedOn: [{ reference: 'ServiceRequest/ref-0007' }],
    },
  ]);
  await session.desk.sync();
  // The first referral's second image arrives as a PNG that calls itself a JPEG.
  const [first] = await session.desk.handlers['queue.list'](undefined);
  const detail = await session.desk.handlers['case.open']({ referralId: first!.referralId });
  const closeUp = detail.images[1]!.imageId.replace('media-', 'bin-');
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#a0522d' } }).png().toBuffer();
  await session.hub.putBinary(closeUp, png, 'image/jpeg');
});

afterAll(async () => {
  await session?.close();
});

describe('keyboard-only walk from queue to image', () => {
  it('shows the synced queue, urgent suspected cancer first, with the synthetic-data banner', async () => {
    const { page } = session;
    await page.goto(`${DESK_ORIGIN}/index.html`);
    // 40 referrals and the header row; only those in view are drawn.
    await expect.poll(() => page.locator('table.queue').getAttribute('aria-rowcount')).toBe('41');
    await expect.poll(() => page.getByRole('note').textContent()).toContain('synthetic patients');
    const firstPriority = await page.locator('table.queue tbody tr').first().locator('.badge').first().textContent();
    expect(firstPriority).toBe('USC');
    expect(await page.locator('table.queue tbody tr').first().locator('td').first().getAttribute('title')).toBe('Urgent suspected cancer');
    await page.screenshot({ path: `${DOCS}/queue.png` });
  });

  it('opens the selected referral with Enter and draws a deep-zoom tile of its first image', async () => {
    const { page } = session;
    const queueName = await page.locator('table.queue tr.selected .patient-name').textContent();
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('Enter');

    await expect.poll(() => page.locator('.patient-banner .patient-name').textContent()).toBe(queueName);
    // The claim waits on the in-process hub, which is also drawing images for the pyramids being built.
    await expect.poll(() => page.locator('.claim-banner').textContent()).toBe('You are reviewing this referral.');
    const canvas = page.locator('.viewer-canvas');
    await expect.poll(async () => Number(await canvas.getAttribute('data-tiles-drawn'))).toBeGreaterThan(0);
    // The drawn canvas holds picture, not the empty background.
    const painted = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.viewer-canvas canvas');
      const ctx = c?.getContext('2d');
      if (!c || !ctx) return 0;
      const { data } = ctx.getImageData(0, 0, c.width, c.height);
      let lit = 0;
      for (let i = 0; i < data.length; i += 4 * 97) if ((data[i] ?? 0) + (data[i + 1] ?? 0) + (data[i + 2] ?? 0) > 120) lit++;
      return lit;
    });
    expect(painted).toBeGreaterThan(100);

    // The viewer's keys: z one image pixel per screen pixel, + and - zoom, 0 fits, r rotates.
    const zoom = async (): Promise<number> => Number(await canvas.getAttribute('data-image-zoom'));
    await page.keyboard.press('z');
    await expect.poll(zoom).toBeCloseTo(1, 2);
    await page.keyboard.press('+');
    await expect.poll(zoom).toBeCloseTo(1.5, 2);
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await expect.poll(zoom).toBeCloseTo(1 / 1.5, 2);
    await page.keyboard.press('0');
    await expect.poll(zoom).toBeLessThan(0.5); // fitted: a 3-12 MP image shown whole
    await page.keyboard.press('r');
    await expect.poll(() => canvas.getAttribute('data-rotation')).toBe('90');
    await page.keyboard.press('r');
    await page.keyboard.press('r');
    await page.keyboard.press('r');
    await expect.poll(() => canvas.getAttribute('data-rotation')).toBe('0');

    // ] steps through the images. The second was refused: the reason shows where the image would.
    await page.keyboard.press(']');
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/cannot be shown: the server calls this image\/jpeg, but the bytes are image\/png/);
    expect(await page.locator('.image-strip button.current small').textContent()).toBe('Cannot be shown');
    await page.screenshot({ path: `${DOCS}/image-refused.png` });

    // The last image is dermoscopic (images are ordered by view).
    const count = await page.locator('.image-strip button').count();
    for (let i = 2; i < count; i++) await page.keyboard.press(']');
    await expect.poll(() => page.locator('.image-strip button.current').textContent()).toContain('Dermoscopic');
    await expect.poll(async () => Number(await page.locator('.viewer-canvas').getAttribute('data-tiles-drawn'))).toBeGreaterThan(0);
    // The strip shows each image that can be shown as a real thumbnail, the refused one as refused.
    const thumbs = page.locator('.image-strip img');
    await expect.poll(() => thumbs.count()).toBe(count - 1);
    await expect
      .poll(() => thumbs.evaluateAll((imgs) => imgs.filter((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0).length))
      .toBe(count - 1);
    expect(await page.locator('.image-strip button.refused .thumb-empty').count()).toBe(1);
    await imagesAtRest(page);
    await page.screenshot({ path: `${DOCS}/viewer.png` });

    // The consents, unmistakably yes or no, and the questionnaire, beside the images.
    const consents = page.locator('.consents li');
    expect(await consents.count()).toBe(3);
    for (const text of await consents.allTextContents()) expect(text).toMatch(/^(✓ YES|✗ NO)/);
    expect(await page.locator('.questionnaire dt').count()).toBe(6);

    // ? lists every key from the keymap; Esc closes the list and leaves the case open.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => help.textContent()).toContain('Sign and send the outcome');
    expect(await help.textContent()).toContain('Template: Benign melanocytic naevus: no action');
    await page.screenshot({ path: `${DOCS}/help.png` });
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    expect(await page.locator('.patient-banner').count()).toBe(1);

    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('table.queue').count()).toBe(1);
    expect(session.pageErrors).toEqual([]);
  });

  it('warns up front when a referral is incomplete', async () => {
    const { page } = session;
    // Every eleventh demo referral comes without a dermoscopic image.
    const queue = await session.desk.handlers['queue.list'](undefined);
    const target = queue.findIndex((r) => r.referralId === 'ref-0011');
    for (let i = 0; i < target; i++) await page.keyboard.press('j');
    await expect.poll(() => page.locator('table.queue tr[aria-selected="true"]').getAttribute('data-referral-id')).toBe(queue[target]?.referralId);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('region', { name: 'Completeness' }).textContent()).toMatch(/No dermoscopic image/);
    await page.screenshot({ path: `${DOCS}/completeness.png` });
    await page.keyboard.press('Escape');
    for (let i = 0; i < target; i++) await page.keyboard.press('k');
  });

  it('lists what the server sent that could not be read, with the reason, on P', async () => {
    const { page } = session;
    await expect.poll(() => page.locator('.problems-toggle').textContent()).toBe('1 sync problem (P)');
    await page.keyboard.press('P');
    const panel = page.getByRole('region', { name: 'Sync problems' });
    await expect.poll(() => panel.locator('tbody tr').count()).toBe(1);
    expect(await panel.locator('tbody tr').textContent()).toMatch(/Media\/media-0007-9.*image view "none" is not one of distant, close-up, dermoscopic/);
    await page.screenshot({ path: `${DOCS}/sync-problems.png` });
    await page.keyboard.press('P');
    await expect.poll(() => panel.count()).toBe(0);
  });

  it("opens a colleague's case read-only and says who holds it", async () => {
    const { page } = session;
    const rows = page.locator('table.queue tbody tr');
    await expect.poll(() => rows.first().locator('.badge.in-review').textContent()).toBe('In review by you');
    // j down to the first referral a colleague is reviewing.
    const queue = await session.desk.handlers['queue.list'](undefined);
    const target = queue.findIndex((r) => r.heldBy?.name === 'Dr Tomos Pryce');
    expect(target).toBeGreaterThan(0);
    for (let i = 0; i < target; i++) await page.keyboard.press('j');
    await expect.poll(() => page.locator('table.queue tr[aria-selected="true"]').getAttribute('data-referral-id')).toBe(queue[target]?.referralId);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.claim-banner').textContent()).toBe('Read-only: Dr Tomos Pryce is reviewing this referral.');
    await expect.poll(async () => Number(await page.locator('.viewer-canvas').getAttribute('data-tiles-drawn'))).toBeGreaterThan(0);
    await imagesAtRest(page);
    await page.screenshot({ path: `${DOCS}/read-only.png` });
    await page.keyboard.press('Escape');
    for (let i = 0; i < target; i++) await page.keyboard.press('k');
  });

  it('marks withdrawn referrals in the queue, after the ones to review', async () => {
    const { page } = session;
    await page.keyboard.press('End');
    const last = page.locator('table.queue tr[aria-selected="true"]');
    await expect.poll(() => last.getAttribute('aria-rowindex')).toBe('41');
    expect(await last.locator('.badge.withdrawn').textContent()).toBe('Withdrawn by referrer');
    await page.keyboard.press('Home');
    await expect.poll(() => page.locator('table.queue tr[aria-selected="true"]').getAttribute('aria-rowindex')).toBe('2');
  });
});
