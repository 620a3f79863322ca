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

export interface CacheWriter {
  /** Queues a page; pages are committed in the order given. */
  write: (page: PageIngest) => void;
  /**
   * Resolves, with the cache's counts, when every page written since the last finish is
   * committed with these sync-state values in the same transaction as the last of them;
   * rejects with why they could not be.
   */
  finish: (state: [SyncStateKey, string][]) => Promise<CacheCounts>;
  /** Commits what is queued, then stops the thread. */
  close: () => Promise<void>;
}

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
  /** Set when the thread died with pages not yet finished: that sync's finish must fail. */
  let broken: Error | null = null;
  /** Pages were sent since the last finish. */
  let unfinished = false;
  const waiting: { done: (counts: CacheCounts) => void; fail: (err: Error) => void }[] = [];
  // The thread keeps the process alive only while it has work, so an idle desk never holds up an exit.
  const busy = (): void => {
    if (unfinished || waiting.length > 0) thread?.ref();
    else thread?.unref();
  };

  const running = (): Worker => {
    if (thread) return thread;
    const started = startThread({ file: connection.file, key: new Uint8Array(connection.key) });
    started.on('message', (message: FromWriter) => {
      const next = waiting.shift();
      busy();
      if (message.problem === null) next?.done(message.counts);
      else next?.fail(new Error(`the cache could not be written: ${message.problem}`));
    });
    started.on('error', (err) => {
      broken = new Error(`the cache writer stopped: ${err.message}`);
    });
    started.on('exit', () => {
      if (thread === started) thread = null;
      if (!unfinished && waiting.length === 0) return; // nothing was lost: the next write starts a new thread
      broken ??= new Error('the cache writer stopped');
      for (const next of waiting.splice(0)) next.fail(broken);
    });
    thread = started;
    busy();
    return started;
  };
  const send = (message: ToWriter): void => {
    running().postMessage(message);
    busy();
  };

  running();
  return {
    write(page) {
      if (broken) return; // this sync's finish will fail; the pages come again next time
      unfinished = true;
      send({ kind: 'page', page });
    },
    finish(state) {
      unfinished = false;
      if (broken) {
        const why = broken;
        broken = null; // the next sync starts a new thread
        return Promise.reject(why);
      }
      return new Promise((done, fail) => {
        waiting.push({ done, fail });
        send({ kind: 'finish', state });
      });
    },
    async close() {
      const stopping = thread;
      if (!stopping) return;
      thread = null;
      broken = new Error('the desk is closing');
      stopping.ref();
      await new Promise<void>((done) => {
        stopping.once('exit', () => done());
        stopping.postMessage({ kind: 'close' } satisfies ToWriter);
      });
    },
  };
}
