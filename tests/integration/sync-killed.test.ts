/**
 * Kill the syncing process at several points, change the server while it is down, start it
 * again: the cache ends up holding every resource exactly once, at its latest version.
 *
 * Each kill lands at a point the test knows: the hub answers a set number of pages of the
 * service's open referrals and holds the next one's answer, so the sync cannot finish, and the
 * kill waits for the referrals of the pages it was given to be committed (read from the cache
 * file: a referral is written after all it is made of). No kill depends on how fast the machine is.
 */
import type { Resource, Task } from '@medplum/fhirtypes';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { AnswerGate, type FaultSource } from '../../electron/hub/faults';
import { PAGE_SIZE } from '../../electron/services/sync/pull-sync';
import { tempDir } from '../support/temp-dir';
import { startTsxChild, stopTsxChildren } from '../support/tsx-child';
import { childLines, type ChildLines } from '../support/child-lines';
import { openCacheFile } from '../support/cache-file';
import { heldVersions } from '../support/held-versions';
import { everythingOnHub, serviceWork } from '../support/service-work';

const CHILD = resolve(__dirname, '../support/sync-child.ts');
const NOW = new Date('2026-11-25T12:00:00Z');
const CASES = 5 * PAGE_SIZE;
/** A page of the first sync's search for the service's open referrals (not a patient's earlier ones). */
const PAGE = /^GET \/fhir\/ServiceRequest\?performer=[^&]+&status=/;

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
  hub = await startDemoHub({ cases: CASES, otherReferrals: CASES, unreferredPatients: CASES, seed: 9, now: NOW, faults });
  dir = tempDir('desk-killed');
});

afterAll(async () => {
  stopTsxChildren();
  gate.open();
  await hub?.close();
  dir?.remove();
});

/** Open referrals in the cache: each page of the search for them brings PAGE_SIZE. */
function countOpenReferrals(): number {
  const db = openCacheFile(dir.path, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM referral WHERE status = 'active'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function syncInChild(): ChildLines & { kill: () => void } {
  const child = startTsxChild(CHILD, [dir.path, hub.baseUrl]);
  return { ...childLines(child), kill: () => child.kill('SIGKILL') };
}

/**
 * Starts a sync that the hub gives `pages` pages of open referrals and no more, waits until it
 * has asked for the next (it cannot finish) and, given `committed`, until the cache holds that
 * many open referrals, then kills it.
 */
async function killAfterPages(pages: number, committed?: number): Promise<void> {
  gate = new AnswerGate();
  pagesLeft = pages;
  const child = syncInChild();
  await child.whileRunning(gate.held(), 'the hub held its next page');
  if (committed !== undefined) await child.whileRunning(expect.poll(countOpenReferrals).toBe(committed), `${committed} open referrals committed`);
  child.kill();
  expect(await child.exited).toBeNull();
  gate.open(); // the held page goes to a process that is no longer there
}

describe('a sync killed part-way', () => {
  it('leaves no duplicates and no gaps once it runs again', async () => {
    // Five pages of open referrals (CASES): each kill below lands with pages still to come.
    // The kill landed mid-sync: one page is in, not all.
    await killAfterPages(1, PAGE_SIZE);
    // Again from the start (no checkpoint was reached): the page held is skipped, two more come in.
    await killAfterPages(3, 3 * PAGE_SIZE);

    // While the desk is down, the GP withdraws a referral that was already synced.
    const task = (await (await fetch(`${hub.baseUrl}/Task/task-0001`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as Task;
    const updated = await fetch(`${hub.baseUrl}/Task/task-0001`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` },
      body: JSON.stringify({ ...task, status: 'cancelled' }),
    });
    const newVersion = ((await updated.json()) as Resource).meta?.versionId;

    // Killed again among pages it already holds.
    await killAfterPages(2);
    pagesLeft = Number.POSITIVE_INFINITY;
    expect(await syncInChild().exited).toBe(0);
    const expected = [...serviceWork(await everythingOnHub(hub), hub.service)];

    const db = openCacheFile(dir.path, { readonly: true });
    try {
      const held = heldVersions(db);
      expect(held.size).toBe(expected.length);
      for (const key of expected) expect(held.get(key), key).toBe(key === 'Task/task-0001' ? newVersion : '1');
      const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
      const referrals = expected.filter((k) => k.startsWith('ServiceRequest/')).length;
      expect(referrals).toBeGreaterThan(CASES);
      expect(count('SELECT count(*) AS n FROM referral')).toBe(referrals);
      expect(count('SELECT count(*) AS n FROM image')).toBe(expected.filter((k) => k.startsWith('Media/') || k.startsWith('DocumentReference/')).length);
      expect(count('SELECT count(*) AS n FROM consent')).toBe(referrals * 3);
      expect(db.prepare("SELECT status FROM review_task WHERE id = 'task-0001'").get()).toEqual({ status: 'cancelled' });
      expect(count('SELECT count(*) AS n FROM sync_problem')).toBe(0);
    } finally {
      db.close();
    }
  }, 300_000); // five child processes and a full sync of 1,000 cases: a guard against a hang, not a measure
});
