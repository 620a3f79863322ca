/**
 * The main thread's side of the cache writer: sync hands it each page and moves on to the next,
 * while a worker thread with its own connection commits them (cache-writer-thread.ts). Started
 * with the desk, so its start-up is not paid in the first sync.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CacheConnection } from '../cache/open-cache';
import type { PageIngest } from '../db/sync-ledger';
import type { SyncStateKey } from '../db/sync-state';
import type { CacheCounts, FromWriter, ToWriter, WriterData } from './cache-writer-protocol';
import { packPage } from './page-wire';

export interface CacheWriter {
  /**
   * Queues a page; pages are committed in the order given. Resolves at once, or, when many
   * pages are already waiting, once the thread has caught up: a sync never holds more than a
   * few pages in memory. Rejects when the thread has stopped (this sync's pages are lost).
   */
  write: (page: PageIngest) => Promise<void>;
  /**
   * Resolves, with the cache's counts, when every page written since the last finish is
   * committed, and these sync-state values after them; rejects with why they could not be.
   */
  finish: (state: [SyncStateKey, string][]) => Promise<CacheCounts>;
  /** Resolves once the thread has opened its connection, or has stopped trying. */
  started: () => Promise<void>;
  /** Commits what is queued, then stops the thread. */
  close: () => Promise<void>;
}

/** Pages queued before write() waits for the thread: the rows of up to 8,000 resources. */
export const MAX_PAGES_WAITING = 16;

/** The bundled thread sits beside main.js; from the sources (tests, benchmarks) it runs through tsx. */
function startThread(workerData: WriterData): Worker {
  if (__filename.endsWith('.ts')) {
    const source = JSON.stringify(join(__dirname, 'cache-writer-thread.ts'));
    return new Worker(`require('tsx/cjs'); require(${source});`, { eval: true, workerData });
  }
  return new Worker(join(__dirname, 'cache-writer-thread.js'), { workerData });
}

export function createCacheWriter(connection: CacheConnection): CacheWriter {
  let thread: Worker | null = null;
  let closed = false;
  /** Set when the thread stopped with pages not yet finished: that sync's finish must fail. */
  let broken: Error | null = null;
  /** Pages sent and not yet taken off the queue by the thread. */
  let queued = 0;
  /** Pages were sent since the last finish. */
  let unfinished = false;
  const finishing: { done: (counts: CacheCounts) => void; fail: (err: Error) => void }[] = [];
  /** Resolved when the running thread is ready (or gone). */
  let starting: Promise<void> = Promise.resolve();
  let ready = false;
  /** Writers waiting for the queue to shrink. */
  let roomWaiters: { done: () => void; fail: (err: Error) => void }[] = [];

  // The thread keeps the process alive only while it has work, so an idle desk never holds up an exit.
  const busy = (): void => {
    if (!ready || unfinished || finishing.length > 0 || queued > 0) thread?.ref();
    else thread?.unref();
  };
  const wakeWriters = (err?: Error): void => {
    if (!err && queued >= MAX_PAGES_WAITING) return;
    const waiting = roomWaiters;
    roomWaiters = [];
    for (const waiter of waiting) {
      if (err) waiter.fail(err);
      else waiter.done();
    }
  };

  const running = (): Worker => {
    if (thread) return thread;
    const worker = startThread({ file: connection.file, key: new Uint8Array(connection.key) });
    ready = false;
    let isUp = (): void => undefined;
    starting = new Promise((done) => {
      isUp = () => {
        ready = true;
        busy();
        done();
      };
    });
    worker.once('exit', () => isUp());
    worker.on('message', (message: FromWriter) => {
      if (message.kind === 'ready') {
        isUp();
        return;
      }
      if (message.kind === 'taken') {
        queued = Math.max(0, queued - message.pages);
        wakeWriters();
      } else {
        const next = finishing.shift();
        if (message.problem === null) next?.done(message.counts);
        else next?.fail(new Error(`the cache could not be written: ${message.problem}`));
      }
      busy();
    });
    worker.on('error', (err) => {
      broken = new Error(`the cache writer stopped: ${err.message}`);
    });
    worker.on('exit', () => {
      if (thread === worker) thread = null;
      queued = 0;
      const lost = unfinished || finishing.length > 0;
      if (!lost) {
        broken = null; // nothing was lost: the next write starts a new thread
        return;
      }
      broken ??= new Error('the cache writer stopped');
      wakeWriters(broken);
      for (const next of finishing.splice(0)) next.fail(broken);
    });
    thread = worker;
    busy();
    return worker;
  };
  const send = (message: ToWriter): void => {
    running().postMessage(message);
    busy();
  };

  running();
  return {
    async write(page) {
      if (closed) throw new Error('the desk is closing');
      if (broken) throw broken; // this sync's pages are lost; it fails, and the next starts afresh
      unfinished = true;
      queued += 1;
      send({ kind: 'page', page: packPage(page) });
      if (queued < MAX_PAGES_WAITING) return;
      await new Promise<void>((done, fail) => roomWaiters.push({ done, fail }));
    },
    finish(state) {
      unfinished = false;
      if (broken) {
        const why = broken;
        broken = null; // the next sync starts a new thread
        return Promise.reject(why);
      }
      if (closed) return Promise.reject(new Error('the desk is closing'));
      return new Promise((done, fail) => {
        finishing.push({ done, fail });
        send({ kind: 'finish', state });
      });
    },
    started: () => starting,
    async close() {
      closed = true;
      const stopping = thread;
      if (!stopping) return;
      stopping.ref();
      await new Promise<void>((done) => {
        stopping.once('exit', () => done());
        stopping.postMessage({ kind: 'close' } satisfies ToWriter);
      });
    },
  };
}
