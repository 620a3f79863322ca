import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { openDesk, type Desk } from '../../electron/services/desk';
import { openDatabase } from '../../electron/services/db/connection';
import { everythingOnHub, serviceWork } from '../support/service-work';
import { WRITER_NICENESS, type FromWriter, type ToWriter } from '../../electron/services/sync/cache-writer-protocol';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { startTsxChild } from '../support/tsx-child';
import { childLines } from '../support/child-lines';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { cacheKeyOf, openCacheFile } from '../support/cache-file';
import { heldVersions } from '../support/held-versions';
import { packPage } from '../../electron/services/sync/page-wire';
import { DATABASE_FILE } from '../../electron/services/cache/open-cache';
import { createCaseStore } from '../../electron/services/db/case-store';
import { createSyncLedger } from '../../electron/services/db/sync-ledger';
import { cacheRows as rowsOf } from '../../electron/services/db/cache-rows';

/** The thread below keys its connection as the desk does, through the sources (tsx). */
const CONNECTION_SOURCE = join(__dirname, '../../electron/services/db/connection.ts');

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;

const open = (): Desk =>
  openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'http://desk.invalid/tiles/', prefetchCases: 0, fhir: { timeoutMs: UNHURRIED_MS } });

/** Each test of the block gets its own demo hub and a desk with an empty cache on it (synced once, if asked). */
function eachTestOnAFreshDesk({ cases, seed, synced }: { cases: number; seed: number; synced: boolean }): void {
  beforeEach(async () => {
    hub = await startDemoHub({ cases, seed, now: new Date('2026-11-25T12:00:00Z') });
    dir = tempDir('desk-writer');
    desk = open();
    if (synced) await desk.sync();
  });
  afterEach(async () => {
    await desk.close();
    await hub.close();
    dir.remove();
  });
}

const cacheRows = (sql: string): unknown => {
  const db = openCacheFile(dir.path, { readonly: true });
  try {
    return db.prepare(sql).get();
  } finally {
    db.close();
  }
};

/** The niceness of each thread of this process, by thread id (Linux's /proc). */
function threadNiceness(): Map<number, number> {
  const niceness = new Map<number, number>();
  for (const thread of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses; niceness is the 19th field.
    niceness.set(Number(thread), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
  }
  return niceness;
}

describe('the cache writer thread', () => {
  eachTestOnAFreshDesk({ cases: 30, seed: 5, synced: false });

  it.runIf(process.platform === 'linux')('runs below normal priority, and only it: the main thread keeps its own', async () => {
    await desk.settled();
    const niceness = threadNiceness();
    const mainThread = niceness.get(process.pid);
    expect(mainThread).not.toBe(WRITER_NICENESS);
    const lowered = [...niceness].filter(([, nice]) => nice === WRITER_NICENESS);
    expect(lowered).toHaveLength(1);
    expect([...niceness].filter(([, nice]) => nice !== WRITER_NICENESS && nice !== mainThread)).toEqual([]);
    // And it still commits.
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
  });

  it('fails a sync whose pages cannot be committed, says why, keeps the checkpoint, and catches up once they can', async () => {
    // Another writer of the same file makes every patient row refused, as a full disk would.
    const db = openCacheFile(dir.path);
    db.exec(`CREATE TRIGGER refuse_patient BEFORE INSERT ON patient BEGIN SELECT RAISE(ABORT, 'no room for patients'); END;`);
    db.close();

    const failed = await desk.sync();
    expect(failed.state).toBe('failed');
    expect(failed.problem).toContain('no room for patients');
    expect(failed.lastSuccessAt).toBeNull();
    expect(cacheRows(`SELECT count(*) AS n FROM sync_state WHERE key IN ('checkpoint', 'last-success-at')`)).toEqual({ n: 0 });

    const fixed = openCacheFile(dir.path);
    fixed.exec('DROP TRIGGER refuse_patient');
    fixed.close();
    const caughtUp = await desk.sync();
    expect(caughtUp).toMatchObject({ state: 'idle', problem: null });
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(30);
    expect(cacheRows('SELECT count(*) AS n FROM patient')).toEqual({ n: 30 });
  });

  it("commits every resource of the service's work once, whatever the batching; a second sync adds no version", async () => {
    // The service's work on the shared hub, worked out from everything on it.
    const work = serviceWork(await everythingOnHub(hub), hub.service);
    const serviceRequests = [...work].filter((k) => k.startsWith('ServiceRequest/')).length;
    expect(serviceRequests).toBeGreaterThan(30);

    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    const held = (): Map<string, string | null> => {
      const db = openCacheFile(dir.path, { readonly: true });
      try {
        return heldVersions(db);
      } finally {
        db.close();
      }
    };
    const first = held();
    expect([...first.keys()].sort()).toEqual([...work].sort());
    expect(cacheRows('SELECT count(*) AS n FROM referral')).toEqual({ n: serviceRequests });
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(held()).toEqual(first);
    expect(cacheRows('SELECT count(*) AS n FROM referral')).toEqual({ n: serviceRequests });
  });
  it('copies the log into the file once a sync is over, and no commit does it on the way', async () => {
    const file = join(dir.path, DATABASE_FILE);
    const fileBytes = (): number => statSync(file).size;
    const before = fileBytes();
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    // The writer copies just after answering, at its low priority: wait for the rows to reach the file itself.
    await expect.poll(fileBytes).toBeGreaterThanOrEqual(before + 100_000);
    // Every connection the desk opens leaves the copying to the writer.
    const db = openDatabase(file, cacheKeyOf(dir.path));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.close();
  });
});

describe('a desk that only opens', () => {
  it('keeps its process alive while the writer thread starts, so waiting for it is not the end', async () => {
    const data = tempDir('desk-settle');
    try {
      // Its exit code once all it wrote is read ('exit' may come before the last of stdout).
      const child = childLines(startTsxChild(join(__dirname, '../support/settle-child.ts'), [data.path]));
      const code = await child.exited;
      expect({ code, said: child.lines }).toEqual({ code: 0, said: ['settled'] });
    } finally {
      data.remove();
    }
  });
});

describe('two writers of one cache', () => {
  eachTestOnAFreshDesk({ cases: 6, seed: 8, synced: true });

  it('waits for the other writer instead of failing: an audited case opens while another connection commits', async () => {
    const [first] = await desk.handlers['queue.list'](undefined);
    // Another thread takes the write lock, writes, holds it 400 ms and commits: as the sync's writer does.
    const other = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads');
       require('tsx/cjs');
       const Database = require('better-sqlite3-multiple-ciphers');
       const { keyCacheConnection } = require(workerData.connection);
       const db = new Database(workerData.file);
       keyCacheConnection(db, Buffer.from(workerData.key));
       db.prepare('BEGIN IMMEDIATE').run();
       db.prepare("INSERT INTO sync_state (key, value) VALUES ('other-writer', 'was here') ON CONFLICT(key) DO UPDATE SET value = excluded.value").run();
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
       db.prepare('COMMIT').run();
       db.close();`,
      { eval: true, workerData: { file: join(dir.path, DATABASE_FILE), key: new Uint8Array(cacheKeyOf(dir.path)), connection: CONNECTION_SOURCE } },
    );
    const exited = new Promise((done) => other.once('exit', done));
    await new Promise((done, fail) => {
      other.once('message', done);
      other.once('error', fail);
    });
    // Reads the case, then appends to the audit trail: a read before a write, across the other's commit.
    const detail = await desk.handlers['case.open']({ referralId: first!.referralId });
    expect(detail.referralId).toBe(first!.referralId);
    await exited;
    const opened = await desk.handlers['audit.report']({ limit: 5 });
    expect(opened.entries.some((e) => e.action === 'case.opened' && e.subject === first!.referralId)).toBe(true);
    expect(cacheRows(`SELECT value FROM sync_state WHERE key = 'other-writer'`)).toEqual({ value: 'was here' });
  });

  it('never lets an older version, queued before a newer write, undo it', async () => {
    const db = openDatabase(join(dir.path, DATABASE_FILE), cacheKeyOf(dir.path));
    try {
      const ledger = createSyncLedger(db, createCaseStore(db));
      const task = db.prepare(`SELECT id, referral_id AS referralId FROM review_task LIMIT 1`).get() as { id: string; referralId: string };
      const version = (versionId: string, lastUpdated: string, status: string, owner: string | null) => ({
        rows: rowsOf([{ table: 'review_task', row: { id: task.id, versionId, lastUpdated, referralId: task.referralId, status, ownerId: owner } }]),
        seen: [{ resourceType: 'Task', id: task.id, versionId, lastUpdated }],
        problems: [],
      });
      // The claim (newer) is written first; the sync's page, fetched before it, arrives after.
      ledger.ingest(version('93', '2026-11-25T12:00:09.000Z', 'in-progress', 'cons-1'));
      ledger.ingest(version('92', '2026-11-25T12:00:01.000Z', 'requested', null));
      expect(db.prepare('SELECT version_id AS v, status, owner_id AS owner FROM review_task WHERE id = ?').get(task.id)).toEqual({ v: '93', status: 'in-progress', owner: 'cons-1' });
      expect(ledger.alreadyHeld([{ resourceType: 'Task', id: task.id, versionId: '93', lastUpdated: null }])).toEqual(new Set([`Task/${task.id}`]));
      // A genuinely newer one still goes in.
      ledger.ingest(version('94', '2026-11-25T12:00:20.000Z', 'completed', 'cons-1'));
      expect(db.prepare('SELECT version_id AS v, status FROM review_task WHERE id = ?').get(task.id)).toEqual({ v: '94', status: 'completed' });
    } finally {
      db.close();
    }
  });
});

describe('the built cache writer (out/main)', () => {
  it('runs as its own entry beside main.js and commits what it is sent', async () => {
    const script = join(__dirname, '../../out/main/cache-writer-thread.js');
    expect(existsSync(script), 'run `electron-vite build` first (npm test does)').toBe(true);
    const folder = tempDir('desk-writer-built');
    const file = join(folder.path, 'cache.sqlite');
    const key = randomBytes(32);
    openDatabase(file, key).close();
    const thread = new Worker(script, { workerData: { file, key: new Uint8Array(key) } });
    try {
      const answers: FromWriter[] = [];
      const answered = new Promise<FromWriter>((done, fail) => {
        thread.on('message', (message: FromWriter) => {
          answers.push(message);
          if (message.kind === 'finished') done(message);
        });
        thread.once('error', fail);
      });
      const page: ToWriter = {
        kind: 'page',
        page: packPage({
          rows: rowsOf([{ table: 'organization', row: { id: 'org-1', versionId: '1', lastUpdated: '2026-11-25T10:00:00.000Z', name: 'Synthetic Practice' } }]),
          seen: [{ resourceType: 'Organization', id: 'org-1', versionId: '1', lastUpdated: '2026-11-25T10:00:00.000Z' }],
          problems: [],
        }),
      };
      thread.postMessage(page);
      thread.postMessage({ kind: 'finish', state: [['checkpoint', '2026-11-25T10:00:00.000Z']] } satisfies ToWriter);
      expect(await answered).toEqual({ kind: 'finished', problem: null, counts: { casesInCache: 0, images: { ready: 0, total: 0 }, problemCount: 0 } });
      expect(answers.slice(0, 2)).toEqual([{ kind: 'ready' }, { kind: 'taken', pages: 1 }]);
      const db = openDatabase(file, key);
      expect(db.prepare('SELECT name FROM organization').all()).toEqual([{ name: 'Synthetic Practice' }]);
      expect(db.prepare(`SELECT value FROM sync_state WHERE key = 'checkpoint'`).get()).toEqual({ value: '2026-11-25T10:00:00.000Z' });
      db.close();
    } finally {
      await thread.terminate();
      folder.remove();
    }
  });
});
