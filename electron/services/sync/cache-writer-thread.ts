/**
 * The cache writer's thread: commits what sync fetched through a connection of its own, so
 * the encryption and the commits of a large sync never hold up the main thread (which serves
 * the renderer's calls and the image tiles). See cache-writer.ts for the main thread's side.
 */
import { setPriority } from 'node:os';
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { openDatabase } from '../db/connection';
import { createCaseStore } from '../db/case-store';
import { createSyncLedger, type PageIngest } from '../db/sync-ledger';
import { createSyncStateStore, type SyncStateKey } from '../db/sync-state';
import { WRITER_NICENESS, type FromWriter, type ToWriter, type WriterData } from './cache-writer-protocol';
import { unpackPage } from './page-wire';
import { inPlainWords } from '../../../shared/ipc/dispatch';

/**
 * Pages waiting when the thread is free are committed together, up to this many resources: few
 * commits (each one re-encrypts the pages it touches), yet a write on the main thread waits
 * for the lock no longer than one such transaction (≈40-60 ms here).
 */
const MAX_RESOURCES_PER_TRANSACTION = 2000;

/**
 * Below normal priority, so that on a busy machine the main thread (the renderer's calls, the
 * image tiles) and the network come first and commits fill the gaps: a first sync on two cores
 * held the main thread up less (event-loop delay p99 ≈11 against ≈14.5 ms) and finished sooner.
 * Not so low that a signing waiting for this thread's lock (busy_timeout) could starve: about a
 * tenth of a busy core. Only Linux lowers one thread this way; elsewhere the call would lower the
 * whole app, so there the thread keeps normal priority.
 */
function yieldToTheMainThread(): void {
  if (process.platform !== 'linux') return;
  try {
    setPriority(0, WRITER_NICENESS);
  } catch {
    // Not allowed here (a locked-down sandbox): normal priority, as on other systems.
  }
}

function parent(): MessagePort {
  if (!parentPort) throw new Error('the cache writer runs in a worker thread');
  return parentPort;
}
yieldToTheMainThread();
const port = parent();
const data = workerData as WriterData;
const key = Buffer.from(data.key);
const db = openDatabase(data.file, key);
key.fill(0);
data.key.fill(0);
const cases = createCaseStore(db);
const ledger = createSyncLedger(db, cases);
const state = createSyncStateStore(db);
/** Why this sync's pages could not be written; reported at its finish, then cleared. */
let failure: string | null = null;

const answer = (message: FromWriter): void => port.postMessage(message);

/** The first message and whatever else is already waiting, up to one transaction's worth. */
function batchFrom(first: ToWriter): ToWriter[] {
  const batch = [first];
  let resources = first.kind === 'page' ? first.page.resources : 0;
  while (resources < MAX_RESOURCES_PER_TRANSACTION && batch.at(-1)?.kind === 'page') {
    const next = receiveMessageOnPort(port);
    if (!next) break;
    const message = next.message as ToWriter;
    batch.push(message);
    if (message.kind === 'page') resources += message.page.resources;
  }
  return batch;
}

const commit = db.transaction((pages: PageIngest[], finish: [SyncStateKey, string][]) => {
  for (const page of pages) ledger.ingest(page);
  for (const [name, value] of finish) state.set(name, value);
});

/**
 * Copies the log into the file: the one place it is done while the desk runs (connection.ts).
 * Once per sync rather than as commits go, when it would copy the same pages again and again
 * (a first sync of 1,000 cases spent a third of its commit time on it). After the sync has
 * been answered, so it is over for everyone else. Passive: readers and the main thread's
 * writers are never waited for; what cannot be copied now is copied next time.
 */
function copyLogIntoFile(): void {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Not copied this time (a full disk, say): the log keeps it, and the next sync tries again.
  }
}

answer({ kind: 'ready' });

port.on('message', (first: ToWriter) => {
  const batch = batchFrom(first);
  const last = batch.at(-1) as ToWriter;
  const pages = batch.flatMap((m) => (m.kind === 'page' ? [unpackPage(m.page)] : []));
  if (failure === null) {
    try {
      // Immediate: the write lock is taken first, so the main thread's writers wait their turn
      // (busy_timeout) instead of failing on a lock upgrade. A sync that failed part-way sends
      // an empty finish: its pages stay, its checkpoint does not move.
      commit.immediate(pages, last.kind === 'finish' ? last.state : []);
    } catch (err) {
      // Said in the status bar: SQLite's own message only in the log.
      const plain = inPlainWords(err);
      failure = plain instanceof Error ? plain.message : String(plain);
    }
  }
  if (pages.length > 0) answer({ kind: 'taken', pages: pages.length });
  if (last.kind === 'finish') {
    // Counted here, where the pages just written are still in the page cache: on the main
    // thread the same count would first read and decrypt them.
    const counts = { casesInCache: cases.countOpenReferrals(), images: cases.countQueueImages(), problemCount: ledger.problemCount() };
    answer({ kind: 'finished', problem: failure, counts });
    failure = null;
    copyLogIntoFile();
  }
  if (last.kind === 'close') {
    db.close();
    port.close();
  }
});
