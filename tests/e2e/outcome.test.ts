/**
 * Deciding from the keyboard alone: a templated benign case in three keystrokes from the queue,
 * an urgent suspected cancer referral that cannot be downgraded without a reason, consent shown
 * before it is too late, and undo. Outcomes are counted on the hub.
 *
 * Time stands still for the desk's outcomes and for the page (whose countdown reads the same
 * clock) until a test lets the undo window pass, so no step races the window.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferralSummary } from '../../shared/domain/referral';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { DESK_ORIGIN, imagesAtRest, launchBrowserDesk, type BrowserDesk } from '../support/browser-carrier';
import { heldClock } from '../support/held-clock';
import { FaultPlan } from '../../electron/hub/faults';

const DOCS = resolve(__dirname, '../../docs');
let session: BrowserDesk;
let queue: ReferralSummary[];
const UNDO_MS = 2500;
const clock = heldClock();
const faults = new FaultPlan();

/** Moves the desk's and the page's clock past the undo window: what was signed goes. */
async function passUndoWindow(): Promise<void> {
  clock.moveOn(UNDO_MS + 1);
  await session.page.clock.setFixedTime(clock.now());
}

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 40, undoMs: UNDO_MS, outcomeClock: clock.now, hubFaults: faults, viewport: { width: 1280, height: 800 } });
  await session.page.clock.setFixedTime(clock.now());
  await session.desk.sync();
  queue = await session.desk.handlers['queue.list'](undefined);
  await session.page.goto(`${DESK_ORIGIN}/index.html`);
  await session.page.locator('table.queue[aria-rowcount="41"]').waitFor();
  // The whole queue, done referrals too (signed ones leave the worklist at once), so that rows
  // stand where the queue listed them for the whole of this file.
  for (let i = 0; i < 5; i++) await session.page.keyboard.press('t');
  await session.page.locator('.queue-filters .shown', { hasText: '40 of 40 shown' }).waitFor();
});

afterAll(async () => {
  await session?.close();
});

/** Opens the selected referral with Enter and waits for it, as a consultant waits for the case to appear. */
async function openSelected(): Promise<void> {
  await session.page.keyboard.press('Enter');
  await session.page.locator('.outcome-panel').waitFor();
}

/** Moves the queue's selection to a referral with j and k (not counted as deciding keystrokes). */
async function selectRow(index: number): Promise<void> {
  const { page } = session;
  const referralId = queue[index]!.referralId;
  await page.locator('table.queue').waitFor();
  for (let i = 0; i < 80; i++) {
    // Only rows in view are drawn; the selected one always is, and aria-rowindex says where it is.
    const at = Number(await page.locator('table.queue tr[aria-selected="true"]').getAttribute('aria-rowindex')) - 2;
    const selectedId = await page.locator('table.queue tr[aria-selected="true"]').getAttribute('data-referral-id');
    if (selectedId === referralId) return;
    await page.keyboard.press(at < index ? 'j' : 'k');
  }
  throw new Error(`could not select ${referralId}`);
}

/** The first referral still to decide (awaiting review, no outcome signed or half-written in an earlier test) that passes `test`. */
async function findRow(test: (r: ReferralSummary, consented: boolean) => boolean): Promise<number> {
  const decided = new Set((await session.desk.handlers['outcome.list'](undefined)).filter((o) => o.state !== 'undone').map((o) => o.referralId));
  for (const [index, r] of queue.entries()) {
    if (r.state !== 'awaiting-review' || decided.has(r.referralId)) continue;
    if (await session.desk.handlers['draft.get']({ referralId: r.referralId })) continue;
    const detail = await session.desk.handlers['case.open']({ referralId: r.referralId });
    if (test(r, detail.consents.find((c) => c.kind === 'hospital-referral')?.permitted === true)) return index;
  }
  throw new Error('no such referral in the demo queue');
}

const onHub = async (outcomeReferral: string): Promise<number> => {
  const outcomes = await session.desk.handlers['outcome.list'](undefined);
  const ids = outcomes.filter((o) => o.referralId === outcomeReferral).map((o) => o.outcomeId);
  let count = 0;
  for (const id of ids) {
    const found = (await (await fetch(`${session.hub.baseUrl}/Communication?identifier=${encodeURIComponent(`${DESK_IDENTIFIER_SYSTEM.outcome}|${id}`)}`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${session.hub.issueToken()}` } })).json()) as Bundle;
    count += found.entry?.length ?? 0;
  }
  return count;
};

describe('deciding an outcome from the keyboard', () => {
  it('signs a templated benign case in three keystrokes from the queue, and sends it once', async () => {
    const { page } = session;
    const row = await findRow((r) => r.referrerPriority === 'routine');
    await selectRow(row);
    let keystrokes = 0;
    const press = async (key: string): Promise<void> => {
      keystrokes += 1;
      await page.keyboard.press(key);
    };
    await press('Enter');
    // The claim waits on the in-process hub, which is also drawing images for the pyramids being built.
    await expect.poll(() => page.locator('.claim-banner').textContent()).toBe('You are reviewing this referral.');
    await press('n');
    await expect.poll(() => page.locator('#outcome-diagnosis').inputValue()).toBe('Melanocytic naevus');
    await press('Control+Enter');
    expect(keystrokes).toBeLessThanOrEqual(5);
    await expect.poll(() => page.locator('.outcome-status').textContent()).toBe('Signed. Sending in 3 s. Undo: Alt+U');
    await passUndoWindow();
    await expect.poll(() => page.locator('.outcome-status').textContent()).toMatch(/^Sent to the GP at \d\d:\d\d\.$/);
    await imagesAtRest(page);
    await page.screenshot({ path: `${DOCS}/outcome-signed.png` });
    expect(await page.locator('.letter').textContent()).toContain('Working diagnosis: Melanocytic naevus (SNOMED CT 400096001)');
    expect(await onHub(queue[row]!.referralId)).toBe(1);
    await page.keyboard.press('Escape');
  });

  it('will not downgrade an urgent suspected cancer referral without a reason, and takes you to the field', async () => {
    const { page } = session;
    const row = await findRow((r) => r.referrerPriority === 'urgent-suspected-cancer');
    await selectRow(row);
    await openSelected();
    await page.keyboard.press('n');
    await page.keyboard.press('Control+Enter');
    const reason = page.locator('#outcome-downgradeReason');
    await expect.poll(() => reason.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => page.locator('.field.invalid .field-error').textContent()).toBe(
      'Why the urgent suspected cancer referral is downgraded is needed for no action.',
    );
    await page.screenshot({ path: `${DOCS}/outcome-form.png` });
    await page.keyboard.type('Dermoscopy shows a regular network: benign naevus.');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.outcome-status').textContent()).toMatch(/^Signed\./);
    expect(await page.locator('.letter').textContent()).toContain('Why the urgent suspected cancer referral is downgraded: Dermoscopy shows a regular network');
    await page.keyboard.press('Escape');
  });

  it('says at once when the patient has not consented to a hospital appointment', async () => {
    const { page } = session;
    const row = await findRow((r, consented) => !consented);
    await selectRow(row);
    await openSelected();
    await page.keyboard.press('o');
    await page.keyboard.press('4');

    await expect.poll(() => page.locator('.kind-error').first().textContent()).toMatch(/has not consented to the hospital arranging an appointment\. Advise the GP instead/);
    await page.keyboard.press('Escape'); // leave the form
    await page.keyboard.press('Escape'); // back to the queue
  });

  it('never signs on a plain Enter: in a field it moves on to the next, and only Ctrl+Enter signs', async () => {
    const { page } = session;
    const row = await findRow((r, consented) => r.referrerPriority === 'routine' && consented);
    await selectRow(row);
    await openSelected();
    await page.keyboard.press('o');
    await page.keyboard.press('5'); // a biopsy: its site and type not given yet
    /** The field holding the focus: its own id, or its group's (a radio in the urgency group). */
    const focused = (): Promise<string> => page.evaluate(() => document.activeElement?.closest('[id]')?.id ?? '');
    await page.locator('#outcome-diagnosis').focus();
    await page.keyboard.type('Lesion for histology');
    await page.keyboard.press('Enter');
    // On to the next field; no attempt to sign (one would show what is missing, in the same update).
    await expect.poll(focused).toBe('outcome-urgency');
    expect(await page.locator('.field-error').count()).toBe(0);
    // Enter in the template's name field (which a browser would take as submitting the form) stays in the template.
    await page.locator('details.templates').evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await page.locator('#template-name').focus();
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('template-key');
    expect(await page.locator('.field-error').count()).toBe(0);
    // Ctrl+Enter does try to sign: the urgency, site and type are asked for.
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.field-error').count()).toBe(3);
    expect(await page.locator('.outcome-status').count()).toBe(0);
    // Shift+Enter, which a browser also takes as submitting the form, does not sign either.
    await page.locator('#outcome-diagnosis').focus();
    await page.keyboard.press('Shift+Enter');
    await expect.poll(focused).toBe('outcome-urgency');
    expect(await page.locator('.outcome-status').count()).toBe(0);
    await page.keyboard.press('Alt+d'); // nothing left half-written for the tests after this one
    await expect.poll(() => session.desk.handlers['draft.get']({ referralId: queue[row]!.referralId })).toBeNull();
    await page.keyboard.press('Escape'); // leave the form
    await page.keyboard.press('Escape'); // back to the queue
  });

  it('keeps a half-written outcome with its case across j and k, Esc and reopening, until Alt+D discards it', async () => {
    const { page } = session;
    const row = await findRow((r, consented) => r.referrerPriority === 'routine' && consented);
    await selectRow(row);
    await openSelected();
    const patient = (): Promise<string | null> => page.locator('.patient-banner .patient-name').textContent();
    const diagnosis = (): Promise<string> => page.locator('#outcome-diagnosis').inputValue();
    const chosen = (): Promise<string | null> => page.locator('.kinds [aria-checked="true"]').textContent();
    const ours = await patient();
    await page.keyboard.press('o');
    await page.keyboard.press('4'); // a clinic appointment
    await page.locator('#outcome-diagnosis').focus();
    await page.keyboard.type('Irregular pigmented lesion');
    await page.keyboard.press('Escape'); // leave the form
    await page.keyboard.press('j');
    await expect.poll(patient).not.toBe(ours);
    await page.keyboard.press('k');
    await expect.poll(patient).toBe(ours);
    await expect.poll(diagnosis).toBe('Irregular pigmented lesion');
    expect(await chosen()).toContain('Dermatology clinic');
    expect(await page.locator('.draft-kept').textContent()).toMatch(/Kept for this case until signed/);
    await imagesAtRest(page);
    await page.screenshot({ path: `${DOCS}/draft-kept.png` });
    // Back to the queue and in again: still there.
    await page.keyboard.press('Escape');
    await page.locator('table.queue').waitFor();
    await openSelected();
    await expect.poll(diagnosis).toBe('Irregular pigmented lesion');
    // Discarded on purpose: gone from the form and from the cache.
    await page.keyboard.press('Alt+d');
    await expect.poll(diagnosis).toBe('');
    expect(await page.locator('.kinds [aria-checked="true"]').count()).toBe(0);
    const referralId = queue[row]!.referralId;
    await expect.poll(() => session.desk.handlers['draft.get']({ referralId })).toBeNull();
    await page.keyboard.press('Escape');
  });

  it('takes an outcome back with Alt+U before it goes: the draft returns and nothing reaches the GP', async () => {
    const { page } = session;
    const row = await findRow((r) => r.referrerPriority !== 'urgent-suspected-cancer');
    await selectRow(row);
    await openSelected();
    await page.keyboard.press('l');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.outcome-status').textContent()).toMatch(/^Signed\. Sending in/);
    await page.keyboard.press('Alt+u');
    await expect.poll(() => page.locator('#outcome-diagnosis').inputValue()).toBe('Solar lentigo');
    // Past the undo window, everything else signed goes: had this one not been taken back, it would have too.
    await passUndoWindow();
    const outcomes = async (): Promise<string[]> => (await session.desk.handlers['outcome.list'](undefined)).map((o) => `${o.referralId} ${o.state}`).sort();
    await expect.poll(async () => (await outcomes()).filter((o) => !/ (sent|undone)$/.test(o))).toEqual([]);
    expect(await outcomes()).toContain(`${queue[row]!.referralId} undone`);
    expect(await onHub(queue[row]!.referralId)).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });

  it('saves the draft as your own template on a key, and applies it to the next case with that key', async () => {
    const { page } = session;
    await page.keyboard.press('Escape');
    const first = await findRow((r) => r.referrerPriority !== 'urgent-suspected-cancer');
    await selectRow(first);
    await openSelected();
    await page.keyboard.press('o');
    await page.keyboard.press('1');
    await page.keyboard.press('Tab'); // into the diagnosis
    await page.keyboard.type('Seborrhoeic keratosis');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Benign. No treatment needed; cryotherapy only if irritated.');
    // Keyboard only: to the templates, open them, name the template, pick its key, save.
    await page.locator('.templates summary').focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Seborrhoeic keratosis: reassure');
    await page.keyboard.press('Tab');
    await page.keyboard.type('y');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.save-template [role="status"]').textContent()).toBe('Saved: press y on any case to use it.');
    await page.screenshot({ path: `${DOCS}/own-template.png` });
    await page.keyboard.press('Escape'); // leave the form
    await page.keyboard.press('Escape'); // back to the queue

    const next = await findRow((r) => r.referrerPriority !== 'urgent-suspected-cancer' && r.referralId !== queue[first]!.referralId);
    await selectRow(next);
    await openSelected();
    await page.keyboard.press('y');
    await expect.poll(() => page.locator('#outcome-diagnosis').inputValue()).toBe('Seborrhoeic keratosis');
    await page.keyboard.press('Escape');
  });

  it('shows the audit trail, intact, with every open, view, signature and undo (A)', async () => {
    const { page } = session;
    await page.keyboard.press('Escape');
    await page.locator('table.queue').waitFor();
    await page.keyboard.press('A');
    const panel = page.getByRole('region', { name: 'Audit trail' });
    await expect.poll(() => panel.locator('.chain').textContent()).toMatch(/^Record intact: all \d+ entries follow one from another\.$/);
    const actions = await panel.locator('tbody tr td:nth-child(4)').allTextContents();
    for (const action of ['Opened case', 'Viewed image', 'Signed outcome', 'Undid outcome', 'Sent outcome']) expect(actions).toContain(action);
    await page.screenshot({ path: `${DOCS}/audit.png` });
    await page.keyboard.press('A');
    await expect.poll(() => panel.count()).toBe(0);
  });

  it('holds an outcome the server refuses, with its reason; Alt+A brings it back to amend, and the new one goes', async () => {
    const { page } = session;
    const row = await findRow((r) => r.referrerPriority === 'routine');
    await selectRow(row);
    await openSelected();
    faults.add({ match: /^POST \/fhir$/, times: 1, fault: { kind: 'status', status: 422 } });
    await page.keyboard.press('l');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.outcome-status').textContent()).toMatch(/^Signed\. Sending in/);
    await passUndoWindow();
    await expect.poll(() => page.locator('.outcome-status').textContent()).toBe('Held, not sent: The server refused this outcome (422: injected fault: 422). It was not sent.');
    expect(await page.locator('.held-actions button').allTextContents()).toEqual(['Amend and sign again Alt+A', 'Handled elsewhere Alt+H']);
    expect(await page.locator('.sync-bar .held').textContent()).toBe('1 outcome held, not sent: The server refused this outcome (422: injected fault: 422). It was not sent.');
    await page.screenshot({ path: `${DOCS}/outcome-refused.png` });
    // The queue says so too.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`table.queue tr[data-referral-id="${queue[row]!.referralId}"] .badge.outcome-held`).count()).toBe(1);
    await openSelected();
    await page.keyboard.press('Alt+a');
    await expect.poll(() => page.locator('#outcome-diagnosis').inputValue()).toBe('Solar lentigo');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.locator('.outcome-status').textContent()).toMatch(/^Signed\. Sending in/);
    await passUndoWindow();
    await expect.poll(() => page.locator('.outcome-status').textContent()).toMatch(/^Sent to the GP at \d\d:\d\d\.$/);
    expect(await onHub(queue[row]!.referralId)).toBe(1);
    expect(session.pageErrors).toEqual([]);
  });
});

