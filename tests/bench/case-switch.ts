/**
 * Case switching in the real renderer under Chromium, the real services behind it, warm cache
 * (every pyramid built). Value: keypress (j over an open case) to the next case's first tile
 * drawn: the one-tile preview the desk draws from memory when it was warmed, else OpenSeadragon's
 * first tile (whose own times are printed beside, as the stage first-tile). Baseline, in the same run and page: the same image's preview (its one-tile level) shown
 * by a plain img element, fetched from the same tile server (a query string keeps the browser
 * from answering it from memory). The desk itself warms the neighbouring cases' first tiles
 * while a case is open: that is part of what is measured, as the consultant would feel it.
 * Then heap: the renderer's JS heap after 200 switches against after 20, each after a full
 * garbage collection. Runs on the browser carrier (Playwright routes and bindings), as Electron
 * cannot start here; its IPC and tile protocol add their own time to both value and baseline.
 */
import type { Page } from 'playwright-core';
import type { Pyramid } from '../../shared/domain/referral';
import { thumbnailLevel, tileUrl } from '../../shared/domain/tile-address';
import { DESK_ORIGIN, launchBrowserDesk } from '../support/browser-carrier';
import { percentile, report } from './measure';

const CASES = 40;
const SWITCHES = 100;

/**
 * Presses `key` in the page and resolves with the milliseconds until a different image has drawn
 * a tile. (No named functions inside: tsx would wrap them in a helper the page does not have.)
 */
function switchCase(page: Page, key: 'j' | 'k'): Promise<number> {
  return page.evaluate(
    (key) =>
      new Promise<number>((resolve, reject) => {
        const before = document.querySelector<HTMLElement>('.viewer-canvas')?.dataset.imageId;
        const started = performance.now();
        const watch = new MutationObserver(() => {
          const canvas = document.querySelector<HTMLElement>('.viewer-canvas');
          if (!canvas || canvas.dataset.imageId === before) return;
          if (Number(canvas.dataset.tilesDrawn ?? 0) === 0 && canvas.dataset.previewDrawn !== 'true') return;
          watch.disconnect();
          clearTimeout(timer);
          resolve(performance.now() - started);
        });
        const timer = setTimeout(() => {
          watch.disconnect();
          reject(new Error(`no tile drawn within 10 s of ${key}`));
        }, 10_000);
        watch.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-tiles-drawn', 'data-preview-drawn', 'data-image-id'] });
        performance.clearMarks();
        performance.mark('desk:key');
        window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
      }),
    key,
  );
}

/** The plain-img baseline: the same image's one-tile preview, loaded and decoded. */
function showPreview(page: Page, url: string): Promise<number> {
  return page.evaluate(async (url) => {
    const started = performance.now();
    const img = new Image();
    img.src = url;
    await img.decode();
    return performance.now() - started;
  }, url);
}

async function heapUsed(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  await cdp.detach();
  return usedSize;
}

export async function benchCaseSwitch(): Promise<boolean> {
  const session = await launchBrowserDesk({ cases: CASES });
  try {
    const { page, desk } = session;
    await desk.sync();
    const queue = await desk.handlers['queue.list'](undefined);
    // Warm cache: every image of every case has its pyramid.
    const pyramids = new Map<string, Pyramid>();
    for (const referral of queue) {
      for (const thumb of await desk.handlers['case.thumbnails']({ referralId: referral.referralId })) {
        if (thumb.pyramid) pyramids.set(thumb.imageId, thumb.pyramid);
      }
    }
    await page.goto(`${DESK_ORIGIN}/index.html`);
    await page.locator(`table.queue[aria-rowcount="${queue.length + 1}"]`).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('.viewer-canvas')?.dataset.tilesDrawn ?? 0) > 0);

    // Down the queue and back up: every switch is to another case.
    let position = 0;
    let step: 1 | -1 = 1;
    const next = async (): Promise<number> => {
      if (position + step < 0 || position + step >= queue.length) step = step === 1 ? -1 : 1;
      position += step;
      return switchCase(page, step === 1 ? 'j' : 'k');
    };

    const switches: number[] = [];
    const stages = new Map<string, number[]>();
    const previews: number[] = [];
    for (let i = 0; i < SWITCHES; i++) {
      switches.push(await next());
      // The next switch starts from a case whose viewer has drawn, as when a consultant moves on.
      await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('.viewer-canvas')?.dataset.tilesDrawn ?? 0) > 0);
      // Where the time went, from the renderer's own marks, each from the key press.
      const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const));
      const pressed = marks.find(([name]) => name === 'desk:key')?.[1] ?? 0;
      const seen = new Set<string>();
      for (const [name, at] of marks) {
        if (name === 'desk:key' || seen.has(name)) continue;
        seen.add(name);
        stages.set(name, [...(stages.get(name) ?? []), at - pressed]);
      }
      const imageId = await page.locator('.viewer-canvas').getAttribute('data-image-id');
      const pyramid = imageId ? pyramids.get(imageId) : undefined;
      if (!pyramid) throw new Error(`no pyramid for ${imageId}`);
      // A query string makes the browser fetch it again, as the viewer fetches its tiles.
      const url = `${tileUrl(`${DESK_ORIGIN}/tiles/`, { imageId: pyramid.imageId, level: thumbnailLevel(pyramid), col: 0, row: 0 })}?baseline=${i}`;
      previews.push(await showPreview(page, url));
    }
    const p50 = percentile(switches, 50);
    const p95 = percentile(switches, 95);
    console.log(
      `case-switch over ${SWITCHES}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p95 ≤ 100 ms); ` +
        `plain img preview p50 ${percentile(previews, 50).toFixed(1)} ms, p95 ${percentile(previews, 95).toFixed(1)} ms`,
    );
    console.log(`  median ms after the key: ${[...stages].map(([name, at]) => `${name.replace('desk:', '')} ${percentile(at, 50).toFixed(1)}`).join(', ')}`);
    const fromMemory = stages.get('desk:preview-drawn')?.length ?? 0;
    const osdFirst = stages.get('desk:first-tile') ?? [];
    console.log(`  preview drawn from memory in ${fromMemory} of ${SWITCHES} switches; OpenSeadragon's own first tile p95 ${osdFirst.length ? percentile(osdFirst, 95).toFixed(1) : '-'} ms`);
    const speed = report('case-switch-p95', p95, percentile(previews, 95), 2);

    // Heap: after 20 switches from a fresh page, then after 200.
    await page.reload();
    await page.locator(`table.queue[aria-rowcount="${queue.length + 1}"]`).waitFor();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => Number(document.querySelector<HTMLElement>('.viewer-canvas')?.dataset.tilesDrawn ?? 0) > 0);
    position = 0;
    step = 1;
    for (let i = 0; i < 20; i++) await next();
    const after20 = await heapUsed(page);
    for (let i = 20; i < 200; i++) await next();
    const after200 = await heapUsed(page);
    console.log(`renderer JS heap: ${(after20 / 1e6).toFixed(1)} MB after 20 switches, ${(after200 / 1e6).toFixed(1)} MB after 200`);
    const heap = report('heap-growth', after200, after20, 1.1);
    if (session.pageErrors.length) throw new Error(`the page reported errors: ${session.pageErrors.join('; ')}`);
    return speed.met && p95 <= 100 && heap.met;
  } finally {
    await session.close();
  }
}
