/**
 * Opens a desk's encrypted cache file directly, as a test inspecting it from outside the desk
 * does: the key unwrapped with the test key store, no migrations, nothing else touched.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { readCacheKey } from '../../electron/services/cache/cache-key';
import { DATABASE_FILE } from '../../electron/services/cache/open-cache';
import { keyCacheConnection } from '../../electron/services/db/connection';
import { TEST_KEY_WRAP } from './test-key-wrap';

/** The desk's cache key, unwrapped with the test key store. */
export function cacheKeyOf(dataDir: string): Buffer {
  const read = readCacheKey(dataDir, TEST_KEY_WRAP);
  if (read.state !== 'found') throw new Error(`no usable cache key in ${dataDir}: ${read.state}`);
  return read.key;
}

export function openCacheFile(dataDir: string, options: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(join(dataDir, DATABASE_FILE), options);
  keyCacheConnection(db, cacheKeyOf(dataDir));
  return db;
}
