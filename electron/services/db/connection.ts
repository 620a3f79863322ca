/**
 * Opens the desk's SQLite file, encrypted (SQLite3MultipleCiphers, ChaCha20-Poly1305 pages):
 * keyed, checked, WAL, foreign keys on, migrations applied.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** The database exists but this key does not open it. */
export class WrongCacheKey extends Error {}

const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function openDatabase(file: string, key: Buffer): Db {
  if (key.length !== 32) throw new Error('the cache key must be 32 bytes');
  const plain = cacheFileKind(file) === 'plain';
  const db = new Database(file);
  try {
    // Pages are authenticated as well as encrypted, so a changed byte is an error, not wrong data.
    db.pragma("cipher = 'chacha20'");
    // The key is 32 random bytes, not a password: stretching it adds nothing but 45 ms per open.
    db.pragma('kdf_iter = 1');
    // Sorts and temporary indexes (the rekey's too) stay in memory, never in a plain temporary file.
    db.pragma('temp_store = MEMORY');
    db.pragma('busy_timeout = 5000');
    if (plain) encryptInPlace(db, key);
    else db.key(key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      // Only "not a database" means the key: a busy or unreadable file is not a lost key.
      if ((err as { code?: unknown }).code === 'SQLITE_NOTADB') throw new WrongCacheKey(`the cache key does not open ${file}`);
      throw err;
    }
  } catch (err) {
    db.close();
    throw err;
  }
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits, which for
  // the cache means syncing them again. Tables that exist only here raise this per transaction.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/**
 * What is in the file: nothing yet; a plain SQLite database (a cache written before encryption);
 * or anything else, which can only be an encrypted one.
 */
export function cacheFileKind(file: string): 'none' | 'plain' | 'encrypted' {
  if (!existsSync(file)) return 'none';
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(PLAIN_SQLITE_HEADER.length);
    const read = readSync(fd, head, 0, head.length, 0);
    if (read === 0) return 'none';
    return head.subarray(0, read).equals(PLAIN_SQLITE_HEADER.subarray(0, read)) ? 'plain' : 'encrypted';
  } finally {
    closeSync(fd);
  }
}

/** Rewrites a plain cache encrypted; rekeying needs a rollback journal, so WAL is left first. */
function encryptInPlace(db: Db, key: Buffer): void {
  db.pragma('journal_mode = DELETE');
  db.rekey(key);
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new Error(
      `The desk's cache was written by a newer version of the app (schema ${current}, this app knows ${LATEST_SCHEMA_VERSION}). Update the app.`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/**
 * Runs `work` in one transaction written at synchronous=FULL: for what exists only here (signed
 * outcomes, the outbox, the audit trail), durable the moment it returns. Inside another
 * transaction it joins that one, whose commit decides.
 */
export function durableTransaction<T>(db: Db, work: () => T): T {
  if (db.inTransaction) return db.transaction(work)();
  const before = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = FULL');
  try {
    // Immediate: with the sync's writer thread holding the lock, a transaction that read first
    // could not then write (SQLite refuses that upgrade at once); taking the lock first waits.
    return db.transaction(work).immediate();
  } finally {
    db.pragma(`synchronous = ${before}`);
  }
}
