/**
 * Kill the syncing process at several points, change the server while it is down, start it
 * again: the cache ends up holding every resource exactly once, at its latest version.
 *
 * Each kill lands at a point the test knows: the hub answers a set number of pages and holds the
 * next one's answer, so the sync cannot finish, and the kill waits for the pages it was given to
 * be committed (read from the cache file) or, when they were already held, handled (as the
 * child reports). No kill depends on how fast the machine is.
 */
import type { Resource, Task } from '@medplum/fhirtypes';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { AnswerGate, type FaultSource } from '../../electron/hub/faults';
import { generateDemoData } from '../../electron/hub/generator/referral-cases';
import { CASE_RESOURCE_TYPES } from '../../electron/services/fhir/case-mapping';
import { PAGE_SIZE } from '../../electron/services/sync/pull-sync';
import { tempDir } from '../support/temp-dir';
import { startTsxChild, stopTsxChildren } from '../support/tsx-child';
import { childLines, type ChildLines } from '../support/child-lines';
import { openCacheFile } from '../support/cache-file';
import { heldVersions } from '../support/held-versions';

const CHILD = resolve(__dirname, '../support/sync-child.ts');
const NOW = new Date('2026-11-25T12:00:00Z');
const CASES = 300;
const PAGE = /^GET \/fhir\?/;

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
/** Pages the hub still answers in this run; the answers of later ones wait for `gate`. */
let pagesLeft = Number.POSITIVE_INFINITY;
let gate = new AnswerGate();
const faults: FaultSource = {
  take(request) {
    if (!PAGE.test(request)) return undefined;
    if (pagesLeft > 0) {
      pagesLeft -= 1;
      return undefined;
    }
    return { kind: 'held', gate };
  },
};

beforeAll(async () => {
  hub = await startDemoHub({ cases: CASES, seed: 9, now: NOW, faults });
  dir = tempDir('desk-killed');
});

afterAll(async () => {
  stopTsxChildren();
  gate.open();
  await hub?.close();
  dir?.remove();
});

function countHeldVersions(): number {
  const db = openCacheFile(dir.path, { readonly: true });
  try {
    return heldVersions(db).size;
  } finally {
    db.close();
  }
}

function syncInChild(): ChildLines & { kill: () => void } {
  const child = startTsxChild(CHILD, [dir.path, hub.baseUrl]);
  return { ...childLines(child), kill: () => child.kill('SIGKILL') };
}

/** The child's own report that it has handled this many resources in the sync under way. */
const received = (resources: number) => (line: string): boolean =>
  line.startsWith('sync.status ') && (JSON.parse(line.slice('sync.status '.length)) as { resourcesReceived: number }).resourcesReceived >= resources;

/**
 * Starts a sync that the hub gives `pages` pages and no more, waits until the child has handled
 * them (and, given `committed`, until the cache file holds that many versions), then kills it.
 */
async function killAfterPages(pages: number, committed?: number): Promise<void> {
  gate = new AnswerGate();
  pagesLeft = pages;
  const child = syncInChild();
  // The child has handled its pages, and has asked for the one after the last it may have: it cannot finish.
  await child.next(received(pages * PAGE_SIZE), `${pages} pages received`);
  await child.whileRunning(gate.held(), 'the hub held its next page');
  if (committed !== undefined) await expect.poll(countHeldVersions).toBe(committed);
  child.kill();
  expect(await child.exited).toBeNull();
  gate.open(); // the held page goes to a process that is no longer there
}

describe('a sync killed part-way', () => {
  it('leaves no duplicates and no gaps once it runs again', async () => {
    const expected = generateDemoData({ cases: CASES, seed: 9, now: NOW }).resources.filter((r) =>
      (CASE_RESOURCE_TYPES as readonly string[]).includes(r.resourceType),
    );

    // Enough for more than nine pages: each kill below lands with pages still to come.
    expect(expected.length).toBeGreaterThan(10 * PAGE_SIZE);

    // The kill landed mid-sync: three pages are in, not all.
    await killAfterPages(3, 3 * PAGE_SIZE);
    // Again from the start (no checkpoint was reached): the three pages held are skipped, six more come in.
    await killAfterPages(9, 9 * PAGE_SIZE);

    // While the desk is down, the GP withdraws a referral that was already synced.
    const task = (await (await fetch(`${hub.baseUrl}/Task/task-0001`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as Task;
    const updated = await fetch(`${hub.baseUrl}/Task/task-0001`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` },
      body: JSON.stringify({ ...task, status: 'cancelled' }),
    });
    const newVersion = ((await updated.json()) as Resource).meta?.versionId;

    // Killed again among pages it already holds.
    await killAfterPages(5);
    pagesLeft = Number.POSITIVE_INFINITY;
    expect(await syncInChild().exited).toBe(0);

    const db = openCacheFile(dir.path, { readonly: true });
    try {
      const held = heldVersions(db);
      expect(held.size).toBe(expected.length);
      for (const resource of expected) {
        const key = `${resource.resourceType}/${resource.id}`;
        expect(held.get(key), key).toBe(key === 'Task/task-0001' ? newVersion : '1');
      }
      const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
      const referrals = expected.filter((r) => r.resourceType === 'ServiceRequest').length;
      expect(referrals).toBeGreaterThan(CASES);
      expect(count('SELECT count(*) AS n FROM referral')).toBe(referrals);
      expect(count('SELECT count(*) AS n FROM image')).toBe(expected.filter((r) => r.resourceType === 'Media' || r.resourceType === 'DocumentReference').length);
      expect(count('SELECT count(*) AS n FROM consent')).toBe(referrals * 3);
      expect(db.prepare("SELECT status FROM review_task WHERE id = 'task-0001'").get()).toEqual({ status: 'cancelled' });
      expect(count('SELECT count(*) AS n FROM sync_problem')).toBe(0);
    } finally {
      db.close();
    }
  }, 300_000); // five child processes and a full sync of 300 cases: a guard against a hang, not a measure
});
