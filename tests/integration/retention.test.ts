/**
 * Finished work leaves the cache: rows, parts, images' tiles and the patient, and nothing of it
 * stays readable in the data folder. An outcome not yet delivered keeps its referral, however
 * long ago it was signed.
 *
 * What a deleted row leaves in free space cannot be read back here: the cipher library gives no
 * access to raw pages, and decrypting a copy rebuilds it. Every connection the desk opens
 * overwrites what it deletes (secure_delete), which the test checks on a connection of its own.
 */
import type { Patient, Task } from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignedOutcome } from '../../shared/outcome/outcome';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { DATABASE_FILE, TILES_FOLDER } from '../../electron/services/cache/open-cache';
import { keyCacheConnection, openDatabase } from '../../electron/services/db/connection';
import { openDesk, type Desk } from '../../electron/services/desk';
import { cacheKeyOf } from '../support/cache-file';
import { heldClock, type HeldClock } from '../support/held-clock';
import { noAction } from '../support/outcome-drafts';
import { tempDir } from '../support/temp-dir';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { UNHURRIED_MS } from '../support/unhurried';

const ME = DEMO_CONSULTANTS[0].id;
const UNDO_MS = 150;
const headers: Record<string, string> = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' };
let hub: DemoHub;
let desk: Desk;
let dir: ReturnType<typeof tempDir>;
let clock: HeldClock;

const open = (retentionDays: number): Desk =>
  openDesk({
    keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service },
    tileBaseUrl: 'x', prefetchCases: 0, undoMs: UNDO_MS, outcomeClock: clock.now, reviewer: { practitionerId: ME }, retentionDays,
    fhir: { timeoutMs: UNHURRIED_MS },
  });
const onHub = async <T>(path: string, init?: RequestInit): Promise<T> => (await (await fetch(`${hub.baseUrl}/${path}`, { headers, ...init })).json()) as T;
const cancelTask = async (id: string): Promise<void> => {
  const task = await onHub<Task>(`Task/${id}`);
  await onHub(`Task/${id}`, { method: 'PUT', body: JSON.stringify({ ...task, status: 'cancelled' }) });
};

async function settled(outcomeId: string): Promise<SignedOutcome> {
  const find = async (): Promise<SignedOutcome | undefined> => (await desk.handlers['outcome.list'](undefined)).find((o) => o.outcomeId === outcomeId);
  await expect.poll(async () => (await find())?.state, { message: `outcome ${outcomeId} settled` }).toSatisfy((state) => state === 'sent' || state === 'held');
  return (await find()) as SignedOutcome;
}

/** What the cache holds, as plain bytes: a copy decrypted with the desk's key. */
function decryptedCache(): Buffer {
  const copy = tempDir('desk-cache-copy');
  try {
    const file = join(copy.path, 'copy.db');
    copyFileSync(join(dir.path, DATABASE_FILE), file);
    const db = new Database(file);
    keyCacheConnection(db, cacheKeyOf(dir.path));
    db.pragma('journal_mode = DELETE');
    db.rekey(Buffer.alloc(0));
    db.close();
    return readFileSync(file);
  } finally {
    copy.remove();
  }
}

/** Every file under the data folder, read as it lies on disk. */
function dataFolderBytes(): Buffer {
  const files = readdirSync(dir.path, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Buffer.concat(files.map((f) => readFileSync(join(f.parentPath, f.name))));
}

beforeEach(async () => {
  hub = await startDemoHub({ cases: 30, seed: 17, now: new Date('2026-11-25T12:00:00Z') });
  headers.authorization = `Bearer ${hub.issueToken()}`;
  dir = tempDir('desk-retention');
  clock = heldClock();
});

afterEach(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

describe('finished work leaves the cache', () => {
  it('keeps finished work for the retention period, then removes it with its images, tiles and patient, leaving nothing readable', async () => {
    // Words only these two patients' records hold (the audit trail keeps NHS numbers of cases opened, by design).
    // A family name the cache keeps (in capitals; an address it would not keep), to be looked for in its bytes.
    const mark = async (id: string, family: string): Promise<Patient> => {
      const patient = await onHub<Patient>(`Patient/${id}`);
      const address = [{ line: ['1 Nevercached Lane'], postalCode: patient.address?.[0]?.postalCode }];
      return onHub<Patient>(`Patient/${id}`, { method: 'PUT', body: JSON.stringify({ ...patient, name: [{ ...patient.name?.[0], family }], address }) });
    };
    const patient = await mark('pat-0003', 'REMOVEDMARKERFAMILY');
    await mark('pat-0005', 'KEPTMARKERFAMILY');
    desk = open(14);
    await desk.sync();
    // A case decided here: its image viewed (tiles built), the outcome sent, the review completed.
    const done = await desk.handlers['case.open']({ referralId: 'ref-0003' });
    expect((await desk.handlers['image.pyramid']({ imageId: done.images[0]!.imageId })).width).toBeGreaterThan(0);
    const tileFolders = (): string[] => readdirSync(join(dir.path, TILES_FOLDER));
    const foldersBefore = tileFolders();
    expect(foldersBefore).toHaveLength(1);
    const sent = await desk.handlers['outcome.sign']({ referralId: 'ref-0003', draft: noAction });
    clock.moveOn(UNDO_MS + 1);
    expect((await settled(sent.outcomeId)).state).toBe('sent');
    // A case whose outcome was held (withdrawn before it went): not delivered, never removed.
    const heldBack = await desk.handlers['outcome.sign']({ referralId: 'ref-0005', draft: noAction });
    await cancelTask('task-0005');
    clock.moveOn(UNDO_MS + 1);
    expect((await settled(heldBack.outcomeId)).state).toBe('held');

    // Fourteen days' retention: all of it stays for now.
    await desk.sync();
    const queue = (): Promise<string[]> => desk.handlers['queue.list'](undefined).then((q) => q.map((r) => r.referralId));
    expect(await queue()).toEqual(expect.arrayContaining(['ref-0005', 'ref-0020']));
    expect((await desk.handlers['case.open']({ referralId: 'ref-0003' })).referralId).toBe('ref-0003');
    expect(tileFolders()).toEqual(foldersBefore);
    await desk.close();

    // None: what is finished goes at the next sync.
    expect(decryptedCache().includes('REMOVEDMARKERFAMILY')).toBe(true); // the scan below can find it
    expect(decryptedCache().includes('Nevercached Lane')).toBe(false); // what review does not use is never kept
    desk = open(0);
    await desk.sync();
    const after = await queue();
    expect(after).not.toContain('ref-0003');
    expect(after).not.toContain('ref-0020'); // withdrawn when it arrived: finished too
    expect(after).toContain('ref-0005');
    expect((await desk.handlers['outcome.list'](undefined)).map((o) => o.outcomeId)).toEqual([heldBack.outcomeId]);
    await expect(desk.handlers['case.open']({ referralId: 'ref-0003' })).rejects.toThrow(/not in the cache/);
    expect(tileFolders()).toEqual([]);
    expect(existsSync(join(dir.path, TILES_FOLDER, foldersBefore[0]!))).toBe(false);
    const audit = await desk.handlers['audit.report']({ limit: 50 });
    expect(audit.entries.find((e) => e.action === 'cache.removed')?.subject.split(' ')).toEqual(expect.arrayContaining(['ref-0003', 'ref-0020']));
    await desk.close();

    // Nothing of the removed patient anywhere in the data folder, nor in the cache's free pages.
    const cache = decryptedCache();
    expect(cache.includes('REMOVEDMARKERFAMILY')).toBe(false);
    expect(cache.includes('KEPTMARKERFAMILY')).toBe(true);
    const onDisk = dataFolderBytes();
    for (const text of ['REMOVEDMARKERFAMILY', 'KEPTMARKERFAMILY', patient.identifier?.[0]?.value as string]) expect(onDisk.includes(text)).toBe(false);
    const connection = openDatabase(join(dir.path, DATABASE_FILE), cacheKeyOf(dir.path));
    try {
      expect(connection.pragma('secure_delete', { simple: true })).toBe(1);
    } finally {
      connection.close();
    }
  });

  it('removes tiles no pyramid uses when it opens (a removal stopped before the disk), and keeps the rest', async () => {
    desk = open(14);
    await desk.sync();
    const detail = await desk.handlers['case.open']({ referralId: 'ref-0002' });
    await desk.handlers['image.pyramid']({ imageId: detail.images[0]!.imageId });
    await desk.close();
    const tilesDir = join(dir.path, TILES_FOLDER);
    const [kept] = readdirSync(tilesDir);
    const stray = createHash('sha256').update('an image whose removal stopped half-way').digest('hex');
    mkdirSync(join(tilesDir, stray, '0'), { recursive: true });
    writeFileSync(join(tilesDir, stray, '0', '0_0.tile'), 'sealed tile');
    desk = open(14);
    await desk.settled();
    expect(readdirSync(tilesDir)).toEqual([kept]);
  });
});
