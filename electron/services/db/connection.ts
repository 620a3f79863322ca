/**
 * Opens the desk's SQLite file, encrypted (SQLite3MultipleCiphers, AEGIS-256 pages): keyed,
 * checked, WAL, foreign keys on, migrations applied. A cache from before (plain, or with
 * ChaCha20-Poly1305 pages) is re-encrypted in place when first opened.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

export type Db = Database.Database;

/** The database exists but this key does not open it. */
export class WrongCacheKey extends Error {}

const LOG_FILE_LIMIT_BYTES = 4 * 1024 * 1024;

const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * How pages are encrypted. Both are authenticated, so a changed byte is an error, not wrong data.
 * AEGIS-256 runs on the CPU's AES instructions: writing the benchmark's 12,427 resources took
 * 91-111 ms with it, 91-106 ms unencrypted and 157-210 ms with ChaCha20.
 */
const PAGE_CIPHERS = {
  // The key is 32 random bytes, not a password: stretching it (Argon2 here, PBKDF2 for
  // ChaCha20) adds nothing but tens of milliseconds per open, so each runs at its minimum.
  aegis: { cipher: 'aegis', algorithm: 'aegis-256', tcost: 1, mcost: 8, pcost: 1 },
  chacha20: { cipher: 'chacha20', kdf_iter: 1 },
} as const satisfies Record<string, Record<string, string | number>>;
type PageCipher = keyof typeof PAGE_CIPHERS;
/** What caches are written with now, and what older caches may still be written with. */
const CURRENT_CIPHER: PageCipher = 'aegis';
const EARLIER_CIPHERS: readonly PageCipher[] = ['chacha20'];

/** Chooses the cipher for the next key or rekey on this connection. */
function useCipher(db: Db, cipher: PageCipher): void {
  // Names and values come from the table above, never from outside.
  for (const [name, value] of Object.entries(PAGE_CIPHERS[cipher])) db.pragma(`${name} = ${typeof value === 'string' ? `'${value}'` : value}`);
}

/** Keys a connection to the desk's cache as the desk writes it (for tests that inspect the file). */
export function keyCacheConnection(db: Db, key: Buffer): void {
  useCipher(db, CURRENT_CIPHER);
  db.key(key);
}

/** A connection, not yet keyed, with what every connection needs first. */
function connect(file: string): Db {
  const db = new Database(file);
  // Sorts and temporary indexes (the rekey's too) stay in memory, never in a plain temporary file.
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = 5000');
  // What is deleted (a patient let go) is overwritten with zeros, not left readable in free pages.
  db.pragma('secure_delete = ON');
  return db;
}

/** Opens the file with `cipher` and `key`; null when they do not open it. */
function openWith(file: string, key: Buffer, cipher: PageCipher): Db | null {
  const db = connect(file);
  try {
    useCipher(db, cipher);
    db.key(key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (err) {
      // Only "not a database" means the key: a busy or unreadable file is not a lost key.
      if ((err as { code?: unknown }).code !== 'SQLITE_NOTADB') throw err;
      db.close();
      return null;
    }
    return db;
  } catch (err) {
    if (db.open) db.close();
    throw err;
  }
}

/** The file keyed and readable, re-encrypted with the current cipher when it was written otherwise. */
function unlock(file: string, key: Buffer): Db {
  if (cacheFileKind(file) === 'plain') {
    const db = connect(file);
    reencrypt(db, key);
    return db;
  }
  const current = openWith(file, key, CURRENT_CIPHER);
  if (current) return current;
  for (const cipher of EARLIER_CIPHERS) {
    const earlier = openWith(file, key, cipher);
    if (earlier) {
      reencrypt(earlier, key);
      return earlier;
    }
  }
  throw new WrongCacheKey(`the cache key does not open ${file}`);
}

export function openDatabase(file: string, key: Buffer): Db {
  if (key.length !== 32) throw new Error('the cache key must be 32 bytes');
  const db = unlock(file, key);
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits, which for
  // the cache means syncing them again. Tables that exist only here raise this per transaction.
  db.pragma('synchronous = NORMAL');
  // Only the cache writer copies the log into the file, after each sync (cache-writer-thread.ts).
  // Left to every connection, a commit on the main thread after a large sync (opening a case
  // writes to the audit trail) would copy all of it there, holding up the renderer. Closing
  // the last connection copies what is left.
  db.pragma('wal_autocheckpoint = 0');
  // Once copied, the log file is cut back to this instead of keeping the size of the largest sync.
  db.pragma(`journal_size_limit = ${LOG_FILE_LIMIT_BYTES}`);
  db.pragma('foreign_keys = ON');
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

/** Rewrites the whole file with the current cipher; rekeying needs a rollback journal, so WAL is left first. */
function reencrypt(db: Db, key: Buffer): void {
  try {
    db.pragma('journal_mode = DELETE');
    useCipher(db, CURRENT_CIPHER);
    db.rekey(key);
  } catch (err) {
    db.close();
    throw err;
  }
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
