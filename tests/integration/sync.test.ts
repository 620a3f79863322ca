import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/domain/sync-status';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { openDesk, type Desk } from '../../electron/services/desk';
import { DESK_CODE_SYSTEM } from '../../electron/services/fhir/codes';
import { tempDir } from '../support/temp-dir';

const PRIORITY_RANK = { 'urgent-suspected-cancer': 0, urgent: 1, routine: 2 } as const;

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let statuses: SyncStatus[];
let desk: Desk;

const open = (url = hub.baseUrl): Desk =>
  openDesk({ dataDir: dir.path, source: { kind: 'demo', url }, tileBaseUrl: 'http://desk.invalid/tiles/', onSyncStatus: (s) => statuses.push(s), prefetchCases: 0 });

beforeEach(async () => {
  hub = await startDemoHub({ cases: 40, seed: 11, now: new Date('2026-11-25T12:00:00Z') });
  dir = tempDir('desk-sync');
  statuses = [];
  desk = open();
});

afterEach(async () => {
  await desk.close();
  await hub.close();
  dir.remove();
});

describe('sync v0 into a SQLite file', () => {
  it('brings every referral into the queue, urgency first, then due date', async () => {
    const status = await desk.sync();
    expect(status).toMatchObject({ state: 'idle', casesInCache: 40, problem: null });
    expect(status.lastSuccessAt).not.toBeNull();
    const queue = await desk.handlers['queue.list'](undefined);
    expect(queue).toHaveLength(40);
    const keys = queue.map((r) => [PRIORITY_RANK[r.referrerPriority], r.dueDate] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    expect(keys).toEqual(sorted);
    expect(statuses[0]?.state).toBe('syncing');
  });

  it('opens a whole case from the cache: patient, GP, practice and images', async () => {
    await desk.sync();
    const detail = await desk.handlers['case.open']({ referralId: 'ref-0001' });
    expect(detail.patientName).toMatch(/^[A-Z]+, /);
    expect(detail.referrerName).toMatch(/^Dr /);
    expect(detail.practiceName).not.toBe('');
    expect(detail.images.length).toBeGreaterThanOrEqual(3);
    expect(detail.images[0]?.view).toBe('distant');
    await expect(desk.handlers['case.open']({ referralId: 'ref-9999' })).rejects.toThrow(/not in the cache/);
  });

  it('syncing again duplicates nothing', async () => {
    await desk.sync();
    await desk.sync();
    const db = new Database(join(dir.path, 'desk.sqlite'), { readonly: true });
    const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect(count('referral')).toBe(40);
    expect(count('patient')).toBe(40);
    expect(count('consent')).toBe(120);
    expect(count('image')).toBe((await desk.handlers['queue.list'](undefined)).reduce((n, r) => n + r.imageCount, 0));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('skips a resource it cannot read, says which and why, and keeps the rest', async () => {
    const bad = await fetch(`${hub.baseUrl}/Media`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({
        resourceType: 'Media', id: 'media-bad', status: 'completed', content: { contentType: 'image/jpeg', url: 'Binary/bin-0001-1' },
        view: { coding: [{ system: DESK_CODE_SYSTEM.imageView, code: 'thermal' }] }, width: 10, height: 10,
        basedOn: [{ reference: 'ServiceRequest/ref-0001' }],
      }),
    });
    expect(bad.status).toBe(201);
    const status = await desk.sync();
    expect(status.state).toBe('idle');
    expect(status.problem).toMatch(/1 record\(s\) could not be read.*Media\/.*image view "thermal"/);
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(40);
  });

  it('keeps the cache across a restart, and works from it when the server is gone', async () => {
    await desk.sync();
    await desk.close();
    await hub.close();
    desk = open();
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(40);
    const status = await desk.sync();
    expect(status.state).toBe('offline');
    expect(status.problem).toMatch(/could not reach http:\/\/127\.0\.0\.1/);
    expect(status.lastSuccessAt).not.toBeNull();
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(40);
  });

  it('reports a server error as a failed sync, not offline', async () => {
    await desk.close();
    desk = open(`${hub.baseUrl}/nowhere`);
    // /fhir/nowhere/... is still under the hub's /fhir, whose router answers 404.
    const status = await desk.sync();
    expect(status.state).toBe('failed');
    expect(status.problem).toMatch(/answered 404/);
  });
});
