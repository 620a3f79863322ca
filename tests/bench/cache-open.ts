/**
 * Cache open: the check the desk makes of its cache file at every start (quick_check: every page
 * read and authenticated, every b-tree whole), on a cache that has synced 1,000 cases, against
 * the same start without it: opening the cache and reading the queue the consultant sees first.
 * Target: the check at most doubles the time to the first queue.
 */
import { join } from 'node:path';
import { openCache, DATABASE_FILE } from '../../electron/services/cache/open-cache';
import { readCacheKey } from '../../electron/services/cache/cache-key';
import { openDatabase } from '../../electron/services/db/connection';
import { createCaseStore } from '../../electron/services/db/case-store';
import { openDesk } from '../../electron/services/desk';
import { tempDir } from '../support/temp-dir';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { startHubProcess } from './hub-process';
import { compare, report } from './measure';

const ROUNDS = 9;

export async function benchCacheOpen(): Promise<boolean> {
  const hub = await startHubProcess(1000, 21);
  const dir = tempDir('desk-bench-open');
  try {
    const desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0 });
    const status = await desk.sync();
    await desk.close();
    if (status.state !== 'idle' || status.casesInCache < 900) throw new Error(`sync did not complete: ${JSON.stringify(status)}`);
    const read = readCacheKey(dir.path, TEST_KEY_WRAP);
    if (read.state !== 'found') throw new Error('no cache key');
    const queueLength = { value: 0 };
    const firstQueue = (db: ReturnType<typeof openDatabase>): void => {
      queueLength.value = createCaseStore(db).listQueue().length;
      db.close();
    };
    const { value, baseline } = await compare(
      ROUNDS,
      async () => {
        const cache = openCache(dir.path, TEST_KEY_WRAP);
        if (cache.reset) throw new Error(`the cache was found damaged: ${cache.reset.reason}`);
        firstQueue(cache.db);
      },
      async () => firstQueue(openDatabase(join(dir.path, DATABASE_FILE), read.key)),
    );
    if (queueLength.value < 900) throw new Error('the queue was not read');
    return report('cache-open-check', value, baseline, 2).met;
  } finally {
    dir.remove();
    hub.stop();
  }
}
