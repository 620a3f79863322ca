/**
 * Signed means kept until delivered: three outcomes signed and not yet sent (the server is down)
 * survive the cache file deleted, cut short or damaged, and its log lost after a kill. The desk
 * finds the damage when it opens, sets the file aside, restores the outcomes from its journal,
 * says so until read, and sends each exactly once when the server answers.
 */
import type { Bundle } from '@medplum/fhirtypes';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { DATABASE_FILE } from '../../electron/services/cache/open-cache';
import { readUnsentOutcomes } from '../../electron/services/cache/unsent-outcomes';
import { openDesk, type Desk } from '../../electron/services/desk';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { JOURNAL_COPY_FILE, JOURNAL_FILE, JOURNAL_FILES, openOutcomeJournal } from '../../electron/services/outcomes/outcome-journal';
import { openDatabase } from '../../electron/services/db/connection';
import { createOutcomeStore, type NewOutcome, type OutcomeStore } from '../../electron/services/db/outcome-store';
import { reconcileOutcomes, RESTORED_PROBLEM, RESTORED_UNSURE_PROBLEM } from '../../electron/services/outcomes/outcome-recovery';
import { noAction } from '../support/outcome-drafts';
import { tempDir } from '../support/temp-dir';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { UNHURRIED_MS } from '../support/unhurried';

const ME = DEMO_CONSULTANTS[0].id;
let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;
/** While true the hub answers every outcome transaction 503: what is signed stays unsent. */
let serverDown = true;

const open = (): Desk =>
  openDesk({
    keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service },
    tileBaseUrl: 'x', prefetchCases: 0, undoMs: 0, reviewer: { practitionerId: ME },
    fhir: { timeoutMs: UNHURRIED_MS, retry: { maxAttempts: 1, baseDelayMs: 10 } },
  });

const onHub = async (outcomeId: string): Promise<number> => {
  const query = encodeURIComponent(`${DESK_IDENTIFIER_SYSTEM.outcome}|${outcomeId}`);
  const found = (await (await fetch(`${hub.baseUrl}/Communication?identifier=${query}`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as Bundle;
  return found.entry?.length ?? 0;
};

const outcomeStates = async (): Promise<Map<string, { state: string; problem: string | null }>> =>
  new Map((await desk.handlers['outcome.list'](undefined)).map((o) => [o.outcomeId, { state: o.state, problem: o.problem }]));

/** Signs three outcomes while the server refuses them, and waits until each has been tried and failed. */
async function signThree(): Promise<string[]> {
  const ids: string[] = [];
  for (const r of (await desk.handlers['queue.list'](undefined)).filter((q) => q.state === 'awaiting-review').slice(0, 3)) {
    await desk.handlers['case.claim']({ referralId: r.referralId });
    ids.push((await desk.handlers['outcome.sign']({ referralId: r.referralId, draft: noAction })).outcomeId);
  }
  await expect.poll(async () => { const states = await outcomeStates(); return ids.every((id) => states.get(id)?.state === 'failed'); }, { timeout: UNHURRIED_MS }).toBe(true);
  return ids;
}

beforeEach(async () => {
  serverDown = true;
  hub = await startDemoHub({ cases: 12, seed: 5, faults: { take: (request) => (serverDown && request === 'POST /fhir' ? { kind: 'status', status: 503 } : undefined) } });
  dir = tempDir('desk-journal');
  desk = open();
  expect((await desk.sync()).state).toBe('idle');
});

afterEach(async () => {
  await desk.close();
  await hub.close();
  dir.remove();
});

const file = (name: string): string => join(dir.path, name);
const removeCache = (): void => {
  for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) rmSync(file(name), { force: true });
};
/** Overwrites bytes in the middle of a file: a page the disk garbled. */
const garble = (name: string, at: number, folder = dir.path): void => {
  const fd = openSync(join(folder, name), 'r+');
  try {
    const bytes = Buffer.alloc(64);
    const read = readSync(fd, bytes, 0, 64, at);
    for (let i = 0; i < read; i++) bytes[i] = (bytes[i] as number) ^ 0x5a;
    writeSync(fd, bytes, 0, read, at);
  } finally {
    closeSync(fd);
  }
};

describe('signed outcomes survive a cache that is lost or damaged', () => {
  it.each([
    ['the cache file deleted', false, () => removeCache()],
    ['the cache file cut short', true, () => truncateSync(file(DATABASE_FILE), Math.floor(statSync(file(DATABASE_FILE)).size / 3))],
    ['a page in the middle of the cache damaged', true, () => garble(DATABASE_FILE, Math.floor(statSync(file(DATABASE_FILE)).size / 2))],
  ])('%s: restored from the journal, said until read, and each sent once', async (_what, damaged, harm) => {
    const ids = await signThree();
    await desk.close();
    harm();
    desk = open();

    // Restored at once, before any sync: the count outside the cache is never written lower.
    const states = await outcomeStates();
    for (const id of ids) expect(states.get(id)).toEqual({ state: 'queued', problem: RESTORED_PROBLEM });
    expect(readUnsentOutcomes(dir.path)).toBe(3);
    const notices = (await desk.handlers['desk.info'](undefined)).notices;
    expect(notices.find((n) => n.id === 'outcomes-restored')?.message).toMatch(/had lost 3 signed outcomes not yet sent\. They were restored/);
    expect(notices.some((n) => n.id === 'cache-reset' && /cache file is damaged/.test(n.message))).toBe(damaged);
    for (const n of notices) expect(n.message).not.toMatch(/SQLITE_|malformed|disk image/);

    serverDown = false;
    expect((await desk.sync()).state).toBe('idle');
    await expect.poll(async () => { const now = await outcomeStates(); return ids.map((id) => now.get(id)?.state); }, { timeout: UNHURRIED_MS }).toEqual(['sent', 'sent', 'sent']);
    for (const id of ids) expect(await onHub(id)).toBe(1);

    // Read: not said again at the next start.
    await desk.handlers['desk.acknowledge']({ id: 'outcomes-restored' });
    await desk.close();
    desk = open();
    expect((await desk.handlers['desk.info'](undefined)).notices.find((n) => n.id === 'outcomes-restored')).toBeUndefined();
  });

  it('its log lost after a kill: the signatures only the log held are restored', async () => {
    // The log is copied into the file only after a sync or at a clean close: a copy of the file
    // now, put back after the close without its log, is the file a kill and a lost log leave.
    const before = readFileSync(file(DATABASE_FILE));
    const ids = await signThree();
    await desk.close();
    writeFileSync(file(DATABASE_FILE), before);
    for (const name of [`${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) rmSync(file(name), { force: true });
    desk = open();
    const states = await outcomeStates();
    for (const id of ids) expect(states.get(id)?.problem).toBe(RESTORED_PROBLEM);
    serverDown = false;
    expect((await desk.sync()).state).toBe('idle');
    await expect.poll(async () => { const now = await outcomeStates(); return ids.map((id) => now.get(id)?.state); }, { timeout: UNHURRIED_MS }).toEqual(['sent', 'sent', 'sent']);
    for (const id of ids) expect(await onHub(id)).toBe(1);
  });

  it('says how many journal records could not be read when the journal is damaged too, and names the referrals left without an outcome', async () => {
    const ids = await signThree();
    const referralOf = new Map((await desk.handlers['outcome.list'](undefined)).map((o) => [o.outcomeId, o.referralId]));
    const patientOf = new Map((await desk.handlers['queue.list'](undefined)).map((r) => [r.referralId, r.patientName]));
    const [first, , last] = ids.map((id) => patientOf.get(referralOf.get(id) as string) as string);
    await desk.close();
    removeCache();
    // The last of the three records (each about the same size) garbled, in both copies.
    for (const name of JOURNAL_FILES) garble(name, statSync(file(name)).size - 100);
    desk = open();
    // Whether the unreadable record was an undo is not known: the two restored wait for the consultant.
    const states = await outcomeStates();
    expect(ids.filter((id) => states.get(id)?.state === 'held' && states.get(id)?.problem === RESTORED_UNSURE_PROBLEM)).toHaveLength(2);
    const message = (await desk.handlers['desk.info'](undefined)).notices.find((n) => n.id === 'outcomes-restored')?.message ?? '';
    expect(message).toMatch(/had lost 2 signed outcomes/);
    expect(message).toMatch(/1 record of the outcome journal could not be read: an outcome signed recently may NOT have reached the GP/);
    // Once synced, the desk knows (from the server's review tasks) which referrals this consultant
    // was reviewing: the one whose outcome was lost is named; those restored are not.
    expect((await desk.sync()).state).toBe('idle');
    const named = (await desk.handlers['desk.info'](undefined)).notices.find((n) => n.id === 'outcomes-restored')?.message ?? '';
    expect(named).toContain(`You were reviewing these referrals and the desk holds no outcome for them: ${last}`);
    expect(named).not.toContain(first);
  });

  it('restores nothing and says nothing when the cache is whole', async () => {
    await signThree();
    await desk.close();
    desk = open();
    expect([...(await outcomeStates()).values()].every((o) => o.problem !== RESTORED_PROBLEM)).toBe(true);
    expect((await desk.handlers['desk.info'](undefined)).notices.map((n) => n.id)).not.toContain('outcomes-restored');
    expect(existsSync(file(JOURNAL_FILE))).toBe(true);
  });
});

describe('the journal itself', () => {
  const key = Buffer.alloc(32, 7);
  const outcome = (n: number): NewOutcome => ({
    outcomeId: `00000000-0000-4000-8000-00000000000${n}`, referralId: `ref-000${n}`, kind: 'no-action', draft: noAction,
    signedAt: '2026-12-03T10:00:00.000Z', signedBy: ME, targetDate: null, undoUntil: '2026-12-03T10:00:10.000Z',
  });
  // A folder of its own: the suite's desk has the usual one open.
  let own: ReturnType<typeof tempDir>;
  beforeEach(() => {
    own = tempDir('desk-journal-own');
  });
  afterEach(() => own.remove());
  const at = (name: string): string => join(own.path, name);
  const cacheAt = (): { db: ReturnType<typeof openDatabase>; outcomes: OutcomeStore } => {
    const db = openDatabase(at(DATABASE_FILE), key);
    return { db, outcomes: createOutcomeStore(db) };
  };
  const dropCache = (): void => {
    for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) rmSync(at(name), { force: true });
  };

  it('learns from the cache an undo it missed, so a later loss of the cache does not send an undone outcome', () => {
    const journal = openOutcomeJournal(own.path, key);
    let { db, outcomes } = cacheAt();
    outcomes.sign(outcome(1));
    journal.signed(outcome(1));
    outcomes.setState(outcome(1).outcomeId, { state: 'undone' }); // the journal's write of the undo failed
    reconcileOutcomes(own.path, db, outcomes, journal);
    expect(journal.read().entries.get(outcome(1).outcomeId)).toBeUndefined(); // settled, and compacted away
    db.close();
    dropCache();
    ({ db, outcomes } = cacheAt());
    expect(reconcileOutcomes(own.path, db, outcomes, openOutcomeJournal(own.path, key)).restored).toBe(0);
    expect(outcomes.get(outcome(1).outcomeId)).toBeUndefined();
    db.close();
  });

  it('cuts off a record torn by a kill, so the records written after it are read', () => {
    const journal = openOutcomeJournal(own.path, key);
    journal.signed(outcome(1));
    journal.signed(outcome(2));
    // A kill part-way through a record's write to the copy, which is written second: the first
    // holds that record whole, so nothing is lost.
    journal.signed(outcome(3));
    truncateSync(at(JOURNAL_COPY_FILE), statSync(at(JOURNAL_COPY_FILE)).size - 10);
    const whole = openOutcomeJournal(own.path, key).read();
    expect({ entries: whole.entries.size, unreadable: whole.unreadable }).toEqual({ entries: 3, unreadable: 0 });
    // Part-way through the next record's write to the first: the copy never had it, so it may be
    // lost (an undo, say), and is counted.
    writeFileSync(at(JOURNAL_FILE), Buffer.concat([readFileSync(at(JOURNAL_FILE)), Buffer.from([0, 0, 1, 0, 9, 9, 9])]));
    const reopened = openOutcomeJournal(own.path, key);
    expect(reopened.read().unreadable).toBe(1);
    reopened.signed(outcome(4));
    const again = openOutcomeJournal(own.path, key).read();
    expect([...again.entries.keys()]).toEqual([1, 2, 3, 4].map((n) => outcome(n).outcomeId));
    expect(again.unreadable).toBe(0);
    expect(readdirSync(own.path).some((name) => name.startsWith(`${JOURNAL_FILE}.torn-`))).toBe(true);
  });

  it('reads past damage to one copy from the other, and counts only what both lost', () => {
    const journal = openOutcomeJournal(own.path, key);
    for (const n of [1, 2, 3]) journal.signed(outcome(n));
    const size = statSync(at(JOURNAL_FILE)).size;
    const second = Math.floor(size / 2); // inside the second of three records of about the same size
    garble(JOURNAL_FILE, second, own.path);
    truncateSync(at(JOURNAL_COPY_FILE), Math.floor((size * 5) / 6)); // the copy cut short inside its third record
    const ids = (contents: { entries: Map<string, unknown> }): string[] => [...contents.entries.keys()];
    const whole = openOutcomeJournal(own.path, key).read();
    expect({ ids: ids(whole), unreadable: whole.unreadable }).toEqual({ ids: [1, 2, 3].map((n) => outcome(n).outcomeId), unreadable: 0 });

    // The same record garbled in both copies: it alone is lost, and counted.
    const other = join(own.path, 'other');
    mkdirSync(other);
    const again = openOutcomeJournal(other, key);
    for (const n of [1, 2, 3]) again.signed(outcome(n));
    for (const name of JOURNAL_FILES) garble(name, second, other);
    const lost = openOutcomeJournal(other, key).read();
    expect({ ids: ids(lost), unreadable: lost.unreadable }).toEqual({ ids: [1, 3].map((n) => outcome(n).outcomeId), unreadable: 1 });
  });

  it('reads a journal whose compaction was cut short between its two copies as whole', () => {
    const journal = openOutcomeJournal(own.path, key);
    for (const n of [1, 2, 3]) journal.signed(outcome(n));
    journal.settled(outcome(2).outcomeId, 'undone');
    const before = readFileSync(at(JOURNAL_COPY_FILE));
    journal.compact();
    writeFileSync(at(JOURNAL_COPY_FILE), before); // the copy as it was: the process stopped before replacing it
    const reopened = openOutcomeJournal(own.path, key);
    reopened.signed(outcome(4));
    const read = openOutcomeJournal(own.path, key).read();
    const open = [...read.entries.values()].filter((e) => e.settled === null).map((e) => e.outcome.outcomeId);
    expect({ open, unreadable: read.unreadable }).toEqual({ open: [1, 3, 4].map((n) => outcome(n).outcomeId), unreadable: 0 });
  });

  it('restores an outcome as held, for the consultant to decide, when part of the journal could not be read', () => {
    const journal = openOutcomeJournal(own.path, key);
    journal.signed(outcome(1));
    journal.settled(outcome(1).outcomeId, 'undone');
    for (const name of JOURNAL_FILES) garble(name, statSync(at(name)).size - 80, own.path); // the undo's record, in both copies
    dropCache();
    const { db, outcomes } = cacheAt();
    const recovery = reconcileOutcomes(own.path, db, outcomes, openOutcomeJournal(own.path, key));
    expect(recovery).toMatchObject({ restored: 1, unreadable: 1 });
    expect(outcomes.get(outcome(1).outcomeId)).toMatchObject({ state: 'held', problem: RESTORED_UNSURE_PROBLEM });
    db.close();
  });
});

describe('a journal the desk cannot use', () => {
  let own: ReturnType<typeof tempDir>;
  beforeEach(() => {
    own = tempDir('desk-journal-unusable');
  });
  afterEach(() => own.remove());
  const openIn = (folder: string): Desk =>
    openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: folder, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0 });

  it('opens the desk all the same, and says so, when the journal cannot be read or written', async () => {
    await openIn(own.path).close(); // a desk that has run here: its key and cache exist
    rmSync(join(own.path, JOURNAL_FILE), { force: true });
    mkdirSync(join(own.path, JOURNAL_FILE)); // a folder where the file should be: every read and write fails
    const other = openIn(own.path);
    try {
      const notice = (await other.handlers['desk.info'](undefined)).notices.find((n) => n.id === 'outcome-journal');
      expect(notice?.message).toMatch(/could not read or write its outcome journal .*would not survive damage to the cache/);
      expect((await other.sync()).state).toBe('idle');
    } finally {
      await other.close();
    }
  });

  it('sets aside a journal sealed under a key that is gone, rather than report it damaged at every start', async () => {
    writeFileSync(join(own.path, JOURNAL_FILE), Buffer.alloc(300, 1)); // no key file, no cache: a fresh key is made
    const other = openIn(own.path);
    try {
      expect((await other.handlers['desk.info'](undefined)).notices.map((n) => n.id)).not.toContain('outcomes-restored');
      expect(readdirSync(own.path).some((name) => name.startsWith('lost-journal-'))).toBe(true);
    } finally {
      await other.close();
    }
  });
});

describe('a restored outcome whose referral does not come back', () => {
  it('is held after a sync that did not bring it, not retried for ever', async () => {
    const ids = await signThree();
    await desk.close();
    removeCache();
    desk = open();
    // Meanwhile the first referral was sent to another service: a fresh first sync does not take it.
    const restored = (await desk.handlers['outcome.list'](undefined)).find((o) => o.outcomeId === ids[0]);
    const headers = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` };
    const referral = (await (await fetch(`${hub.baseUrl}/ServiceRequest/${restored?.referralId ?? ''}`, { headers })).json()) as Record<string, unknown>;
    await fetch(`${hub.baseUrl}/ServiceRequest/${restored?.referralId ?? ''}`, { method: 'PUT', headers, body: JSON.stringify({ ...referral, performer: [{ reference: 'HealthcareService/cardiology' }] }) });
    serverDown = false;
    expect((await desk.sync()).state).toBe('idle');
    await expect.poll(async () => (await outcomeStates()).get(ids[0] as string)?.state, { timeout: UNHURRIED_MS }).toBe('held');
    expect((await outcomeStates()).get(ids[0] as string)?.problem).toMatch(/did not come back when the desk synced/);
    await expect.poll(async () => { const now = await outcomeStates(); return ids.slice(1).map((id) => now.get(id)?.state); }, { timeout: UNHURRIED_MS }).toEqual(['sent', 'sent']);
  });
});
