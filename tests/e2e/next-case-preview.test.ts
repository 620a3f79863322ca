/**
 * j to the next case shows its first image at once: the neighbour's one-tile preview, warmed
 * while the case before was open, is drawn with the new case (never another patient's image),
 * where OpenSeadragon will draw the image, and gives way to OpenSeadragon's own tiles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pyramid } from '../../shared/domain/referral';
import { thumbnailLevel, tileUrl, TILE_WARMED_EVENT } from '../../shared/domain/tile-address';
import { DESK_ORIGIN, launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';

let session: BrowserDesk;
const firstPyramid = new Map<string, Pyramid>();

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 6 });
  await session.desk.sync();
  for (const referral of await session.desk.handlers['queue.list'](undefined)) {
    const [first] = await session.desk.handlers['case.thumbnails']({ referralId: referral.referralId });
    if (first?.pyramid) firstPyramid.set(referral.referralId, first.pyramid);
  }
});

afterAll(async () => {
  await session?.close();
});

const previewUrl = (pyramid: Pyramid): string =>
  tileUrl(`${DESK_ORIGIN}/tiles/`, { imageId: pyramid.imageId, level: thumbnailLevel(pyramid), col: 0, row: 0 });

/** Keeps the preview's pixels the moment it is drawn: it lets them go when OpenSeadragon draws. */
function snapshotPreviewWhenDrawn(): Promise<void> {
  return session.page.evaluate(() => {
    const w = window as unknown as { __preview?: { url: string; width: number } | null };
    w.__preview = null;
    const watch = new MutationObserver(() => {
      const preview = document.querySelector<HTMLCanvasElement>('.viewer-preview');
      if (document.querySelector<HTMLElement>('.viewer-canvas')?.dataset.previewDrawn !== 'true' || !preview || preview.width === 0) return;
      w.__preview = { url: preview.toDataURL(), width: preview.width };
      watch.disconnect();
    });
    watch.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-preview-drawn'] });
  });
}

/** The preview's pixels as drawn, and `url` fetched and decoded afresh, compared. */
function samePixels(url: string): Promise<{ same: boolean; width: number }> {
  return session.page.evaluate(async (url) => {
    const drawn = (window as unknown as { __preview?: { url: string; width: number } | null }).__preview;
    if (!drawn) return { same: false, width: 0 };
    const bitmap = await createImageBitmap(await (await fetch(`${url}?fresh`)).blob());
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
    return { same: canvas.toDataURL() === drawn.url, width: drawn.width };
  }, url);
}

describe('next case', () => {
  it('draws the next case’s own preview with its patient banner, then OpenSeadragon’s tiles', async () => {
    const { page, desk } = session;
    const queue = await desk.handlers['queue.list'](undefined);
    const [first, second] = queue;
    const nextPyramid = firstPyramid.get(second!.referralId);
    expect(nextPyramid).toBeDefined();
    // Every tile the renderer warms (fetched and decoded, ready to draw), as it says so.
    await page.addInitScript((event) => {
      const w = window as unknown as { __warmed: string[] };
      w.__warmed = [];
      window.addEventListener(event, (e) => w.__warmed.push((e as CustomEvent<string>).detail));
    }, TILE_WARMED_EVENT);

    await openAtQueue(session);
    await page.keyboard.press('Enter');
    const canvas = page.locator('.viewer-canvas');
    await expect.poll(async () => Number(await canvas.getAttribute('data-tiles-drawn'))).toBeGreaterThan(0);
    // Nothing was warmed for the first case opened from the queue: no preview, OpenSeadragon only.
    expect(await canvas.getAttribute('data-preview-drawn')).toBeNull();
    expect(await page.locator('.patient-banner .patient-name').textContent()).toBe(first!.patientName);
    // The next case's preview tile is warmed while this case is open.
    await expect.poll(() => page.evaluate(() => (window as unknown as { __warmed: string[] }).__warmed)).toContain(previewUrl(nextPyramid!));

    await snapshotPreviewWhenDrawn();
    await page.keyboard.press('j');
    await expect.poll(() => canvas.getAttribute('data-preview-drawn')).toBe('true');
    expect(await canvas.getAttribute('data-image-id')).toBe(nextPyramid!.imageId);
    expect(await page.locator('.patient-banner .patient-name').textContent()).toBe(second!.patientName);
    // The preview, as drawn, is that image's tile pixel for pixel, and not the case before's.
    const drawn = await samePixels(previewUrl(nextPyramid!));
    expect(drawn.same).toBe(true);
    expect(drawn.width).toBeGreaterThan(100);
    expect((await samePixels(previewUrl(firstPyramid.get(first!.referralId)!))).same).toBe(false);

    await expect.poll(async () => Number(await canvas.getAttribute('data-tiles-drawn'))).toBeGreaterThan(0);
    expect(await page.locator('.viewer-preview').isHidden()).toBe(true);
    expect(session.pageErrors).toEqual([]);
  });
});
