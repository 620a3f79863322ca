/**
 * Signing and sending outcomes against the demo hub: the transaction, the undo window,
 * the rules at the door, withdrawn referrals held, failures retried, nothing sent twice.
 * The desk's outcome clock stands still until a test lets the undo window pass, so nothing
 * here races the window.
 */
import type { Bundle, Communication, ServiceRequest, Task } from '@medplum/fhirtypes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignedOutcome } from '../../shared/outcome/outcome';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { AnswerGate, FaultPlan } from '../../electron/hub/faults';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { openDesk, type Desk } from '../../electron/services/desk';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { clinicTwoWeek, noAction } from '../support/outcome-drafts';
import { openCacheFile } from '../support/cache-file';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { heldClock, type HeldClock } from '../support/held-clock';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';

const ME = DEMO_CONSULTANTS[0].id;
/** For the test's own requests to the hub, as another system on it; the token is added once the hub runs. */
const headers: Record<string, string> = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' };
let hub: DemoHub;
let faults: FaultPlan;
let desk: Desk;
let dir: ReturnType<typeof tempDir>;
let changes: SignedOutcome[];
let clock: HeldClock;
const UNDO_MS = 150;
/** Moves the outcome clock past the undo window: what was signed goes at the outbox's next look. */
const passUndoWindow = (): void => clock.moveOn(UNDO_MS + 1);

const open = (): Desk =>
  openDesk({
    keyWrap: TEST_KEY_WRAP,
    signIn: TEST_SIGN_IN,
    dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0, undoMs: UNDO_MS,
    outcomeClock: clock.now, reviewer: { practitionerId: ME }, fhir: { timeoutMs: UNHURRIED_MS, retry: { maxAttempts: 1, baseDelayMs: 10 } },
    onEvent: (name, payload) => name === 'outcome.changed' && changes.push(payload as SignedOutcome),
  });

const onHub = async <T>(path: string): Promise<T> => (await (await fetch(`${hub.baseUrl}/${path}`, { headers })).json()) as T;
const byIdentifier = async (type: string, system: string, value: string): Promise<number> =>
  (await onHub<Bundle>(`${type}?identifier=${encodeURIComponent(`${system}|${value}`)}`)).entry?.length ?? 0;

/** Waits until the outbox has settled the outcome one way or another. */
async function settled(outcomeId: string, states: SignedOutcome['state'][] = ['sent', 'held', 'failed']): Promise<SignedOutcome> {
  const find = async (): Promise<SignedOutcome | undefined> => (await desk.handlers['outcome.list'](undefined)).find((o) => o.outcomeId === outcomeId);
  await expect.poll(async () => (await find())?.state, { message: `outcome ${outcomeId} reaching ${states.join('/')}` }).toSatisfy((state) => states.includes(state as SignedOutcome['state']));
  return (await find()) as SignedOutcome;
}

/** A referral of the given priority whose patient consented to a hospital appointment. */
async function referral(priority: 'routine' | 'urgent-suspected-cancer', consented = true): Promise<string> {
  for (const r of await desk.handlers['queue.list'](undefined)) {
    if (r.referrerPriority !== priority || r.state !== 'awaiting-review') continue;
    const detail = await desk.handlers['case.open']({ referralId: r.referralId });
    if (detail.consents.find((c) => c.kind === 'hospital-referral')?.permitted === consented) return r.referralId;
  }
  throw new Error(`no ${priority} referral with consent ${consented}`);
}

beforeEach(async () => {
  faults = new FaultPlan();
  hub = await startDemoHub({ cases: 40, seed: 8, now: new Date('2026-11-25T12:00:00Z'), faults });
  headers.authorization = `Bearer ${hub.issueToken()}`;
  dir = tempDir('desk-outcomes');
  changes = [];
  clock = heldClock();
  desk = open();
  await desk.sync();
});

afterEach(async () => {
  await desk.close();
  await hub.close();
  dir.remove();
});

describe('signing and sending an outcome', () => {
  it('sends one transaction after the undo window: the opinion, the clinic request, the task completed', async () => {
    const referralId = await referral('urgent-suspected-cancer');
    await desk.handlers['case.claim']({ referralId });
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: clinicTwoWeek });
    expect(signed).toMatchObject({ state: 'queued', kind: 'clinic', signedBy: ME });
    expect(signed.targetDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    passUndoWindow();
    const sent = await settled(signed.outcomeId);
    expect(sent.state).toBe('sent');
    expect(changes.map((c) => c.state)).toEqual(['queued', 'sending', 'sent']);

    const communications = await onHub<Bundle<Communication>>(`Communication?identifier=${encodeURIComponent(`${DESK_IDENTIFIER_SYSTEM.outcome}|${signed.outcomeId}`)}`);
    expect(communications.entry).toHaveLength(1);
    const letter = communications.entry?.[0]?.resource?.payload?.[0]?.contentString ?? '';
    expect(letter).toContain('Teledermatology opinion: Dermatology clinic');
    expect(letter).toContain('Working diagnosis: Melanoma in situ (SNOMED CT 189758001)');
    expect(letter).toContain('Urgency: Two weeks: urgent suspected cancer');
    const requests = await onHub<Bundle<ServiceRequest>>(`ServiceRequest?identifier=${encodeURIComponent(`${DESK_IDENTIFIER_SYSTEM.onwardRequest}|${signed.outcomeId}`)}`);
    expect(requests.entry?.map((e) => [e.resource?.priority, e.resource?.category?.[0]?.coding?.[0]?.code, e.resource?.occurrencePeriod?.end])).toEqual([
      ['asap', 'dermatology-clinic', signed.targetDate],
    ]);
    const task = await onHub<Task>(`Task/${referralId.replace('ref-', 'task-')}`);
    expect(task.status).toBe('completed');
    expect(task.output?.at(-1)?.valueReference?.reference).toBe(`Communication/${communications.entry?.[0]?.resource?.id}`);
  });

  it('never takes its own onward request back as a referral, even once it is addressed to the service', async () => {
    const referralId = await referral('urgent-suspected-cancer');
    await desk.handlers['case.claim']({ referralId });
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: clinicTwoWeek });
    passUndoWindow();
    expect((await settled(signed.outcomeId)).state).toBe('sent');
    // The trust's booking system addresses the clinic request to the dermatology service, which
    // is the desk's own: a later sync sees a new active ServiceRequest performed by the service.
    const requests = await onHub<Bundle<ServiceRequest>>(`ServiceRequest?identifier=${encodeURIComponent(`${DESK_IDENTIFIER_SYSTEM.onwardRequest}|${signed.outcomeId}`)}`);
    const onward = requests.entry?.[0]?.resource as ServiceRequest;
    const queueBefore = (await desk.handlers['queue.list'](undefined)).map((r) => r.referralId);
    const put = await fetch(`${hub.baseUrl}/ServiceRequest/${onward.id}`, { method: 'PUT', headers, body: JSON.stringify({ ...onward, performer: [{ reference: hub.service }] }) });
    expect(put.status).toBe(200);
    expect((await desk.sync()).state).toBe('idle');
    const queue = (await desk.handlers['queue.list'](undefined)).map((r) => r.referralId);
    expect(queue).not.toContain(onward.id);
    // Nothing new came in: the sync only let the decided referral go.
    expect(queue.filter((id) => !queueBefore.includes(id))).toEqual([]);
    expect((await desk.handlers['sync.problems'](undefined)).map((p) => p.resourceId)).not.toContain(onward.id);
  });

  it('takes an outcome back inside the undo window: nothing reaches the GP, and it can be signed again', async () => {
    const referralId = await referral('routine');
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    expect((await desk.handlers['outcome.undo']({ outcomeId: signed.outcomeId })).state).toBe('undone');
    const again = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    passUndoWindow();
    // The outbox sends in order of signing: had the undone one been due, it would have gone first.
    expect((await settled(again.outcomeId)).state).toBe('sent');
    expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, signed.outcomeId)).toBe(0);
    expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, again.outcomeId)).toBe(1);
    await expect(desk.handlers['outcome.undo']({ outcomeId: again.outcomeId })).rejects.toThrow(/Too late to undo/);
  });

  it.each([
    ['an appointment without consent to one', 'routine', false, clinicTwoWeek, /has not consented to the hospital arranging an appointment/],
    ['a downgrade without a reason', 'urgent-suspected-cancer', true, { ...noAction, fields: { diagnosis: 'Naevus', adviceToGp: 'Reassure' } }, /Why the urgent suspected cancer referral is downgraded is needed/],
  ] as const)('refuses %s at signing, saying why', async (_what, priority, consented, draft, reason) => {
    const referralId = await referral(priority, consented);
    await expect(desk.handlers['outcome.sign']({ referralId, draft })).rejects.toThrow(reason);
    expect(await desk.handlers['outcome.list'](undefined)).toEqual([]);
  });

  it('signs a referral once', async () => {
    const referralId = await referral('routine');
    await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    await expect(desk.handlers['outcome.sign']({ referralId, draft: noAction })).rejects.toThrow(/already has a signed outcome/);
  });

  it('holds and flags an outcome whose referral was withdrawn before it went', async () => {
    const referralId = await referral('routine');
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    const taskId = referralId.replace('ref-', 'task-');
    const task = await onHub<Task>(`Task/${taskId}`);
    await fetch(`${hub.baseUrl}/Task/${taskId}`, { method: 'PUT', headers, body: JSON.stringify({ ...task, status: 'cancelled' }) });
    passUndoWindow();
    const held = await settled(signed.outcomeId);
    expect(held.state).toBe('held');
    expect(held.problem).toMatch(/withdrew this referral after the outcome was signed\. It was not sent/);
    expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, signed.outcomeId)).toBe(0);
  });

  it('keeps a failed outcome visible with the reason, and sends it once the server answers', async () => {
    const referralId = await referral('routine');
    faults.add({ match: /^POST \/fhir$/, times: 1, fault: { kind: 'status', status: 503 } });
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    passUndoWindow();
    const failed = await settled(signed.outcomeId, ['failed']);
    expect(failed.problem).toMatch(/^Not sent yet: .*answered 503.*It will be tried again\.$/);
    // The next try waits for its backoff; a sync (the server is back) wakes the outbox sooner.
    await desk.sync();
    expect((await settled(signed.outcomeId, ['sent'])).state).toBe('sent');
    expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, signed.outcomeId)).toBe(1);
  });

  it('tries again at once when the review task changed under a send (412), and after that waits as for any failure', async () => {
    const referralId = await referral('routine');
    faults.add({ match: /^POST \/fhir$/, times: 2, fault: { kind: 'status', status: 412 } });
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    passUndoWindow();
    // Both refusals are met with the clock held: the second try needed no time to pass.
    await expect.poll(() => faults.pending()).toBe(0);
    const failed = await settled(signed.outcomeId, ['failed']);
    expect(failed.problem).toBe('The review task changed on the server; trying again.');
    // The third try waits its backoff (at least five seconds after a second failure), not at once.
    const db = openCacheFile(dir.path, { readonly: true });
    try {
      const next = db.prepare('SELECT attempts, next_attempt_at AS at FROM outbox WHERE outcome_id = ?').get(signed.outcomeId) as { attempts: number; at: string };
      expect(next.attempts).toBe(2);
      expect(Date.parse(next.at) - clock.now().getTime()).toBeGreaterThanOrEqual(5_000);
    } finally {
      db.close();
    }
    clock.moveOn(10_001);
    await desk.sync(); // wakes the outbox
    expect((await settled(signed.outcomeId, ['sent'])).state).toBe('sent');
    expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, signed.outcomeId)).toBe(1);
  });

  it('stops sending when the desk closes, waiting for no answer, and the next start sends what is left once', async () => {
    const first = await desk.handlers['outcome.sign']({ referralId: await referral('routine'), draft: noAction });
    const second = await desk.handlers['outcome.sign']({ referralId: await referral('urgent-suspected-cancer'), draft: noAction });
    const gate = new AnswerGate();
    faults.add({ match: /^POST \/fhir$/, times: 1, fault: { kind: 'held', gate } });
    passUndoWindow();
    await desk.sync(); // wakes the outbox
    await gate.held(1); // the first outcome is on the server; its answer is held
    await desk.close(); // resolves with the answer still held: the close stopped the request
    const transactions = (): number => hub.requests.filter((r) => r === 'POST /fhir').length;
    expect(transactions()).toBe(1); // the second was never started
    gate.open();
    desk = open();
    await desk.sync();
    for (const { outcomeId } of [first, second]) {
      expect((await settled(outcomeId, ['sent'])).state).toBe('sent');
      expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, outcomeId)).toBe(1);
    }
  });

  it('keeps what is written for each referral across a restart, until it is signed; an undo keeps it again', async () => {
    const referralId = await referral('routine');
    const other = await referral('urgent-suspected-cancer');
    const written = { ...noAction, fields: { ...noAction.fields, diagnosis: 'Half written' } };
    expect(await desk.handlers['draft.get']({ referralId })).toBeNull();
    await desk.handlers['draft.save']({ referralId, draft: written });
    await desk.handlers['draft.save']({ referralId: other, draft: clinicTwoWeek });
    await desk.close();
    desk = open();
    expect(await desk.handlers['draft.get']({ referralId })).toEqual(written);
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    expect(await desk.handlers['draft.get']({ referralId })).toBeNull(); // signed: nothing is kept as a draft
    await desk.handlers['outcome.undo']({ outcomeId: signed.outcomeId });
    expect(await desk.handlers['draft.get']({ referralId })).toEqual(noAction); // back in the form, kept again
    await desk.handlers['draft.discard']({ referralId });
    expect(await desk.handlers['draft.get']({ referralId })).toBeNull();
    expect(await desk.handlers['draft.get']({ referralId: other })).toEqual(clinicTwoWeek); // each referral its own
  });

  it.each([400, 422])('holds an outcome the server refuses for good (%i), with its reason, and tries no more', async (status) => {
    const referralId = await referral('routine');
    faults.add({ match: /^POST \/fhir$/, times: 1, fault: { kind: 'status', status } });
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    passUndoWindow();
    const held = await settled(signed.outcomeId, ['held']);
    expect(held.problem).toBe(`The server refused this outcome (${status}: injected fault: ${status}). It was not sent.`);
    expect(faults.pending()).toBe(0);
    // Held is final: a sync (which wakes the outbox) sends nothing more.
    const transactions = (): number => hub.requests.filter((r) => r === 'POST /fhir').length;
    const sentBefore = transactions();
    await desk.sync();
    expect((await desk.handlers['outcome.list'](undefined)).find((o) => o.outcomeId === signed.outcomeId)?.state).toBe('held');
    expect(transactions()).toBe(sentBefore);
    expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, signed.outcomeId)).toBe(0);
    const audit = await desk.handlers['audit.report']({ limit: 1000 });
    expect(audit.entries.some((e) => e.action === 'outcome.held' && e.subject === signed.outcomeId && e.detail.includes(`injected fault: ${status}`))).toBe(true);
  });

  it('amends a refused outcome and signs it again: the new one goes, the old one is set aside', async () => {
    const referralId = await referral('routine');
    faults.add({ match: /^POST \/fhir$/, times: 1, fault: { kind: 'status', status: 422 } });
    const first = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    passUndoWindow();
    await settled(first.outcomeId, ['held']);
    const setAside = await desk.handlers['outcome.setAside']({ outcomeId: first.outcomeId, how: 'amend' });
    expect(setAside.state).toBe('set-aside');
    expect(setAside.draft).toEqual(first.draft);
    const second = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    passUndoWindow();
    expect((await settled(second.outcomeId, ['sent'])).state).toBe('sent');
    expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, first.outcomeId)).toBe(0);
    expect(await byIdentifier('Communication', DESK_IDENTIFIER_SYSTEM.outcome, second.outcomeId)).toBe(1);
    const audit = await desk.handlers['audit.report']({ limit: 1000 });
    const inOrder = audit.entries.filter((e) => e.subject === first.outcomeId).sort((a, b) => a.seq - b.seq);
    expect(inOrder.map((e) => e.action)).toEqual(['outcome.signed', 'outcome.held', 'outcome.set-aside']);
  });

  it('marks a refused outcome handled elsewhere: nothing is owed, and nothing more is signed or sent', async () => {
    const referralId = await referral('routine');
    faults.add({ match: /^POST \/fhir$/, times: 1, fault: { kind: 'status', status: 400 } });
    const signed = await desk.handlers['outcome.sign']({ referralId, draft: noAction });
    passUndoWindow();
    await settled(signed.outcomeId, ['held']);
    const settledElsewhere = await desk.handlers['outcome.setAside']({ outcomeId: signed.outcomeId, how: 'handled-elsewhere' });
    expect(settledElsewhere.state).toBe('handled-elsewhere');
    await expect(desk.handlers['outcome.sign']({ referralId, draft: noAction })).rejects.toThrow(/already has a signed outcome/);
    await expect(desk.handlers['outcome.setAside']({ outcomeId: signed.outcomeId, how: 'amend' })).rejects.toThrow(/Only an outcome held, not sent/);
  });
});
