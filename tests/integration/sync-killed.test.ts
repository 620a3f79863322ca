/**
 * Kill the syncing process at several points, change the server while it is down, start it
 * again: the cache ends up holding every resource exactly once, at its latest version.
 */
import type { Resource, Task } from '@medplum/fhirtypes';
import type { ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { FaultPlan } from '../../electron/hub/faults';
import { generateDemoData } from '../../electron/hub/generator/referral-cases';
import { CASE_RESOURCE_TYPES } from '../../electron/services/fhir/case-mapping';
import { tempDir } from '../support/temp-dir';
import { startTsxChild } from '../support/tsx-child';
import { openCacheFile } from '../support/cache-file';
import { heldVersions } from '../support/held-versions';

const CHILD = resolve(__dirname, '../support/sync-child.ts');
const NOW = new Date('2026-11-25T12:00:00Z');
const CASES = 300;
const PAGE = /^GET \/fhir\?/;

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  // Every page is slow, so a kill lands in the middle of a sync.
  const faults = new FaultPlan().add({ match: PAGE, times: 100_000, fault: { kind: 'slow', ms: 120 } });
  hub = await startDemoHub({ cases: CASES, seed: 9, now: NOW, faults });
  dir = tempDir('desk-killed');
});

afterAll(async () => {
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

function syncInChild(): { child: ChildProcess; exited: Promise<number | null> } {
  const child = startTsxChild(CHILD, [dir.path, hub.baseUrl]);
  child.stdout?.resume();
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, exited };
}

async function killAfterPages(pages: number): Promise<void> {
  const before = hub.requests.filter((r) => PAGE.test(r)).length;
  const { child, exited } = syncInChild();
  while (hub.requests.filter((r) => PAGE.test(r)).length - before < pages) {
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  expect(await exited).toBeNull();
}

describe('a sync killed part-way', () => {
  it('leaves no duplicates and no gaps once it runs again', async () => {
    const expected = generateDemoData({ cases: CASES, seed: 9, now: NOW }).resources.filter((r) =>
      (CASE_RESOURCE_TYPES as readonly string[]).includes(r.resourceType),
    );

    await killAfterPages(3);
    // The kill landed mid-sync: some pages are in, not all.
    const partial = countHeldVersions();
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected.length);
    await killAfterPages(9);

    // While the desk is down, the GP withdraws a referral that was already synced.
    const task = (await (await fetch(`${hub.baseUrl}/Task/task-0001`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as Task;
    const updated = await fetch(`${hub.baseUrl}/Task/task-0001`, {
      method: 'PUT',
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` },
      body: JSON.stringify({ ...task, status: 'cancelled' }),
    });
    const newVersion = ((await updated.json()) as Resource).meta?.versionId;

    await killAfterPages(5);
    const { exited } = syncInChild();
    expect(await exited).toBe(0);

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
  });
});
