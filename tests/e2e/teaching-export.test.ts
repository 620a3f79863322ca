/**
 * Teaching export from the keyboard and by mouse, in Chromium: `e` over a case exports the image
 * on screen when the patient consented to teaching, and says where it went; where they did not,
 * it says why and writes nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/domain/referral';
import { TEACHING_FILE_NAME } from '../../shared/domain/teaching-export';
import { DESK_ORIGIN, imagesAtRest, launchBrowserDesk, type BrowserDesk } from '../support/browser-carrier';

const DOCS = resolve(__dirname, '../../docs');
let session: BrowserDesk;
/** Queue positions and details of a referral with teaching consent yes, and one with no. */
let consented: { index: number; detail: CaseDetail };
let refused: { index: number; detail: CaseDetail };
/** Where the queue selection is now. */
let at = 0;

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 40 });
  await session.desk.sync();
  const queue = await session.desk.handlers['queue.list'](undefined);
  for (const [index, r] of queue.entries()) {
    if (r.state !== 'awaiting-review') continue;
    const detail = await session.desk.handlers['case.open']({ referralId: r.referralId });
    const teaching = detail.consents.find((c) => c.kind === 'teaching-use')?.permitted;
    if (teaching === true && !consented && detail.images.length > 1) consented = { index, detail };
    if (teaching === false && !refused) refused = { index, detail };
  }
  if (!consented || !refused) throw new Error('the demo hub has no referral with teaching consent yes and one with no');
  await session.page.goto(`${DESK_ORIGIN}/index.html`);
  await session.page.locator('table.queue[aria-rowcount="41"]').waitFor();
});

afterAll(async () => {
  await session?.close();
});

const notice = () => session.page.locator('.viewer-notice');
const exports = (): string[] => (existsSync(session.teachingExportDir) ? readdirSync(session.teachingExportDir) : []);

/** From the queue, moves the selection to `index` with j/k and opens that referral with Enter. */
async function openFromQueue(index: number, referralId: string): Promise<void> {
  const { page } = session;
  for (; at < index; at++) await page.keyboard.press('j');
  for (; at > index; at--) await page.keyboard.press('k');
  await page.locator(`table.queue tr[aria-selected="true"][data-referral-id="${referralId}"]`).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.outcome-panel').waitFor();
  await expect.poll(async () => Number(await page.locator('.viewer-canvas').first().getAttribute('data-tiles-drawn'))).toBeGreaterThan(0);
}

describe('teaching export', () => {
  it('e exports the image on screen when the patient consented to teaching, and says where', async () => {
    const { page } = session;
    await openFromQueue(consented.index, consented.detail.referralId);
    await page.keyboard.press('e');
    await expect.poll(() => notice().textContent()).toMatch(/exported for teaching, anonymised/);
    const text = (await notice().textContent()) ?? '';
    expect(text).toMatch(/^Image 1 of \d \((Distant|Close-up|Dermoscopic)\) exported for teaching, anonymised \(no name, NHS number, dates or image metadata\), to /);
    const folders = exports();
    expect(folders).toHaveLength(1);
    expect(text).toContain(join(session.teachingExportDir, folders[0]!));
    const files = readdirSync(join(session.teachingExportDir, folders[0]!));
    expect(files.filter((f) => TEACHING_FILE_NAME.test(f))).toHaveLength(1);
    expect(files).toContain('manifest.json');
    await imagesAtRest(page);
    await page.screenshot({ path: `${DOCS}/teaching-export.png` });
  });

  it('does the same by mouse, from the Actions list, for the next image', async () => {
    const { page } = session;
    await page.keyboard.press(']');
    await page.getByRole('button', { name: /^Actions/ }).click();
    await page.getByRole('option', { name: /^Export this image for teaching/ }).click();
    await expect.poll(() => notice().textContent()).toMatch(/^Image 2 of \d .* exported for teaching/);
    expect(exports()).toHaveLength(2);
  });

  it('e on a referral without teaching consent says why it is refused, and writes nothing', async () => {
    const { page } = session;
    await page.keyboard.press('Escape');
    await page.locator('table.queue').waitFor();
    await openFromQueue(refused.index, refused.detail.referralId);
    expect(await page.locator('.consent.no', { hasText: 'training and education' }).count()).toBe(1);
    await page.keyboard.press('e');
    await expect.poll(() => notice().textContent()).toBe(
      'Not exported for teaching: the patient did not consent to their images being used for teaching (recorded as no).',
    );
    expect(exports()).toHaveLength(2);
    await imagesAtRest(page);
    await page.screenshot({ path: `${DOCS}/teaching-export-refused.png` });
    expect(session.pageErrors).toEqual([]);
  });
});
