/**
 * The queue at 20,000 referrals: j (next referral) from key press to the selection painted, in
 * the real renderer under Chromium, against the same on a queue of 40 measured in the same run.
 * Only the rows in view are in the DOM, so the long queue should step as fast as the short one.
 */
import type { Page } from 'playwright-core';
import { DESK_ORIGIN, launchBrowserDesk } from '../support/browser-carrier';
import { percentile, report } from './measure';

const STEPS = 200;

/** Key press to the frame after the selection moved (no named functions inside: see case-switch). */
function step(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const started = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true }));
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - started)));
      }),
  );
}

async function stepTimes(cases: number): Promise<{ p95: number; drawnRows: number }> {
  const session = await launchBrowserDesk({ cases });
  try {
    const { page, desk } = session;
    const status = await desk.sync();
    if (status.state !== 'idle') throw new Error(`sync of ${cases} cases did not finish: ${status.problem ?? status.state}`);
    const count = (await desk.handlers['queue.list'](undefined)).length;
    await page.goto(`${DESK_ORIGIN}/index.html`);
    await page.locator(`table.queue[aria-rowcount="${count + 1}"]`).waitFor({ timeout: 120_000 });
    const times: number[] = [];
    for (let i = 0; i < Math.min(STEPS, count - 1); i++) times.push(await step(page));
    // The selection moved as far as asked, and the DOM holds only a window of rows.
    const at = Number(await page.locator('table.queue tr[aria-selected="true"]').getAttribute('aria-rowindex')) - 2;
    if (at !== Math.min(STEPS, count - 1)) throw new Error(`selection at ${at} after ${STEPS} steps`);
    const drawnRows = await page.locator('table.queue tbody tr[data-referral-id]').count();
    return { p95: percentile(times, 95), drawnRows };
  } finally {
    await session.close();
  }
}

export async function benchQueueStep(): Promise<boolean> {
  const short = await stepTimes(40);
  const long = await stepTimes(20_000);
  console.log(`queue step (j) p95: ${long.p95.toFixed(1)} ms with 20,000 referrals (${long.drawnRows} rows in the DOM), ${short.p95.toFixed(1)} ms with 40`);
  // Not virtualised any more: the comparison would no longer mean what it says.
  if (long.drawnRows > 200) throw new Error(`${long.drawnRows} of 20,000 rows are in the DOM: the queue is not virtualised`);
  return report('queue-step-20k-p95', long.p95, short.p95, 1.5).met;
}
