/**
 * A triage session as a consultant works it: filters from the keyboard, the command palette,
 * then twenty referrals decided and sent without touching the mouse, and the session summary.
 * The production renderer in Chromium, the real services, the demo hub on loopback.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { countQueue } from '../../shared/queue/queue-filter';
import { londonDate } from '../../shared/clock/working-days';
import { DESK_ORIGIN, launchBrowserDesk, type BrowserDesk } from '../support/browser-carrier';

const DOCS = resolve(__dirname, '../../docs');
const CASES = 60;
let session: BrowserDesk;
/** The page's time, standing still while the queue is filtered: its today is the test's today. */
const NOW = new Date();

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: CASES, undoMs: 800, now: NOW, pageTime: NOW });
  await session.desk.sync();
  // Every mouse event the page sees, so the session can prove it used none.
  await session.page.addInitScript(() => {
    const w = window as unknown as { __mouseEvents: number };
    w.__mouseEvents = 0;
    for (const type of ['mousedown', 'mouseup', 'click', 'dblclick', 'mousemove', 'wheel', 'contextmenu']) {
      window.addEventListener(type, () => (w.__mouseEvents += 1), { capture: true });
    }
  });
  await session.page.goto(`${DESK_ORIGIN}/index.html`);
  await session.page.locator(`table.queue[aria-rowcount="${CASES + 1}"]`).waitFor();
});

afterAll(async () => {
  await session?.close();
});

const selectedRow = () => session.page.locator('table.queue tr[aria-selected="true"]');
const rowCount = async (): Promise<number> => Number(await session.page.locator('table.queue').getAttribute('aria-rowcount')) - 1;

describe('a keyboard-only triage session', () => {
  it('filters the queue by priority, overdue and state, with counts, and clears the filters', async () => {
    const { page } = session;
    const queue = await session.desk.handlers['queue.list'](undefined);
    const counts = countQueue(queue, londonDate(NOW));
    const toolbar = page.getByRole('toolbar', { name: 'Filter the queue' });
    expect(await toolbar.textContent()).toContain(`Urgent suspected cancer ${counts.byPriority['urgent-suspected-cancer']}`);

    await page.keyboard.press('u'); // urgent suspected cancer only
    await expect.poll(rowCount).toBe(counts.byPriority['urgent-suspected-cancer']);
    const priorities = await page.locator('table.queue tbody tr[data-referral-id] td:first-child').evaluateAll((cells) => cells.map((c) => [c.textContent, c.getAttribute('title')]));
    expect(new Set(priorities.map((p) => p.join(' / ')))).toEqual(new Set(['USC / Urgent suspected cancer']));
    expect(await toolbar.locator('.shown').textContent()).toBe(`${counts.byPriority['urgent-suspected-cancer']} of ${CASES} shown`);

    await page.keyboard.press('d'); // ...and overdue (past due)
    const uscOverdue = queue.filter((r) => r.referrerPriority === 'urgent-suspected-cancer' && r.state !== 'withdrawn' && r.dueDate < londonDate(NOW));
    await expect.poll(rowCount).toBe(uscOverdue.length);
    await page.screenshot({ path: `${DOCS}/queue-filtered.png` });

    await page.keyboard.press('x');
    await expect.poll(rowCount).toBe(CASES);
    for (let i = 0; i < 3; i++) await page.keyboard.press('t'); // awaiting, in review, withdrawn
    await expect.poll(rowCount).toBe(counts.byState.withdrawn);
    await page.keyboard.press('x');
    await expect.poll(rowCount).toBe(CASES);
  });

  it('finds and runs any action by name with Ctrl+K', async () => {
    const { page } = session;
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Command palette' });
    await palette.waitFor();
    await page.keyboard.type('audit');
    await expect.poll(() => palette.getByRole('option').allTextContents()).toEqual(['Show or hide the audit trailA']);
    await page.screenshot({ path: `${DOCS}/palette.png` });
    await page.keyboard.press('Enter');
    await expect.poll(() => palette.count()).toBe(0);
    await page.getByRole('region', { name: 'Audit trail' }).waitFor();
    // The same action again, by its key this time, hides it; focus came back to the queue.
    await page.keyboard.press('A');
    await expect.poll(() => page.getByRole('region', { name: 'Audit trail' }).count()).toBe(0);

    // Esc closes the palette without running anything; what is typed there never reaches the queue.
    const before = await selectedRow().getAttribute('aria-rowindex');
    await page.keyboard.press('Control+k');
    await palette.waitFor();
    await page.keyboard.type('kkk');
    await page.keyboard.press('Escape');
    await expect.poll(() => palette.count()).toBe(0);
    expect(await selectedRow().getAttribute('aria-rowindex')).toBe(before);
  });

  it('triages twenty referrals to sent outcomes with no mouse event, then shows the session summary', async () => {
    const { page } = session;
    // Routine referrals (u three times), the ones a session clears with templates.
    for (let i = 0; i < 3; i++) await page.keyboard.press('u');
    await expect.poll(() => page.locator('.queue-filters .shown').textContent()).toMatch(/ of 60 shown$/);
    const templates = [
      { key: 'n', kind: 'no-action' },
      { key: 'l', kind: 'no-action' },
      { key: 'a', kind: 'treatment' },
    ] as const;
    const decided: { referralId: string; kind: string }[] = [];
    for (let guard = 0; decided.length < 20 && guard < CASES; guard++) {
      const row = selectedRow();
      const referralId = (await row.getAttribute('data-referral-id')) ?? '';
      const text = (await row.textContent()) ?? '';
      if (text.includes('Withdrawn') || text.includes('In review: ')) {
        await page.keyboard.press('j'); // not ours to decide
        continue;
      }
      const template = templates[decided.length % templates.length]!;
      // The page's clock catches up with the desk's as each case opens, so the session's times are real.
      await page.clock.setFixedTime(new Date());
      await page.keyboard.press('Enter');
      await page.locator('.outcome-panel').waitFor();
      // The claim waits on the in-process hub, which is also drawing images for the pyramids being built.
      await expect.poll(() => page.locator('.claim-banner').textContent()).toBe('You are reviewing this referral.');
      await page.keyboard.press(template.key);
      await page.keyboard.press('Control+Enter');
      await expect.poll(() => page.locator('.outcome-status').textContent()).toMatch(/^Signed|^Sent/);
      decided.push({ referralId, kind: template.kind });
      await page.keyboard.press('Escape');
      // Done at once: it leaves the worklist, and the referral after it is the one selected.
      await expect.poll(() => page.locator(`table.queue tr[data-referral-id="${referralId}"]`).count()).toBe(0);
      expect(await selectedRow().getAttribute('data-referral-id')).not.toBe(referralId);
    }
    expect(decided).toHaveLength(20);

    // Counts agree at once, before any sync: the worklist, the state counts and the status bar.
    const toolbar = page.getByRole('toolbar', { name: 'Filter the queue' });
    await page.keyboard.press('x');
    const queue = await session.desk.handlers['queue.list'](undefined);
    await expect.poll(rowCount).toBe(CASES - 20);
    expect(await toolbar.locator('.shown').textContent()).toBe(`${CASES - 20} to do`);
    expect(await toolbar.textContent()).toContain('Done 20');
    expect(await page.locator('.sync-bar').textContent()).toContain(`${CASES - 20} to do`);
    // The done view keeps them reachable: t steps to it after awaiting, in review and withdrawn.
    for (let i = 0; i < 4; i++) await page.keyboard.press('t');
    await expect.poll(rowCount).toBe(20);
    const shownIds = await page.locator('table.queue tbody tr[data-referral-id]').evaluateAll((rows: Element[]): string[] => rows.map((r) => r.getAttribute('data-referral-id') ?? ''));
    for (const id of shownIds) expect(decided.map((d) => d.referralId)).toContain(id);
    await page.screenshot({ path: `${DOCS}/queue-done.png` });

    // j from a case just signed opens the referral that followed it in the worklist; k then the one before it.
    await page.keyboard.press('x');
    const selectedAt = async (): Promise<number> => Number(await selectedRow().getAttribute('aria-rowindex'));
    await page.keyboard.press('Home');
    await expect.poll(selectedAt).toBe(2); // each key waited for: the row read is the one selected
    const idAt = (row: number): Promise<string | null> => page.locator(`table.queue tr[aria-rowindex="${row}"]`).getAttribute('data-referral-id');
    for (let guard = 0; guard < CASES; guard++) {
      const text = (await selectedRow().textContent()) ?? '';
      const row = await selectedAt();
      // A routine referral (a benign template would downgrade an urgent one), not the first, ours to decide.
      if (row > 2 && text.startsWith('Routine') && !text.includes('Withdrawn') && !text.includes('In review')) break;
      await page.keyboard.press('j');
      await expect.poll(selectedAt).toBe(row + 1);
    }
    const at = Number(await selectedRow().getAttribute('aria-rowindex'));
    const [before, signing, after] = [await idAt(at - 1), await idAt(at), await idAt(at + 1)];
    const nameOf = (id: string | null): string | undefined => queue.find((r) => r.referralId === id)?.patientName;
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.claim-banner').textContent()).toBe('You are reviewing this referral.');
    expect(await page.locator('.patient-banner .patient-name').textContent()).toBe(nameOf(signing));
    await page.keyboard.press('n');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.outcome-status').textContent()).toMatch(/^Signed|^Sent/);
    decided.push({ referralId: signing ?? '', kind: 'no-action' });
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.patient-banner .patient-name').textContent()).toBe(nameOf(after));
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('.patient-banner .patient-name').textContent()).toBe(nameOf(before));
    await page.keyboard.press('Escape');

    // Every one reaches the GP, once.
    await expect
      .poll(async () => (await session.desk.handlers['outcome.list'](undefined)).filter((o) => o.state === 'sent').length)
      .toBe(decided.length);
    for (const { referralId } of decided) {
      const outcome = (await session.desk.handlers['outcome.list'](undefined)).find((o) => o.referralId === referralId)!;
      const url = `${session.hub.baseUrl}/Communication?identifier=${encodeURIComponent(`${DESK_IDENTIFIER_SYSTEM.outcome}|${outcome.outcomeId}`)}`;
      const found = (await (await fetch(url, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${session.hub.issueToken()}` } })).json()) as Bundle;
      expect(found.entry?.length, referralId).toBe(1);
    }

    await page.keyboard.press('S');
    const summary = page.getByRole('region', { name: 'Session summary' });
    await expect.poll(() => summary.locator('[data-figure="completed"]').textContent()).toBe(String(decided.length));
    expect(await summary.locator('[data-figure="median"]').textContent()).toMatch(/^under 1 s$|^\d+ s$|^\d+ min \d\d s$/);
    const kinds = (k: string): number => decided.filter((d) => d.kind === k).length;
    expect(await summary.locator('tr[data-kind="no-action"] .count').textContent()).toBe(String(kinds('no-action')));
    expect(await summary.locator('tr[data-kind="treatment"] .count').textContent()).toBe(String(kinds('treatment')));
    await page.screenshot({ path: `${DOCS}/session-summary.png` });

    expect(await page.evaluate(() => (window as unknown as { __mouseEvents: number }).__mouseEvents)).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });
});
