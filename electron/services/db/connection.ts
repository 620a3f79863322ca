/** Opens the desk's SQLite file: WAL, foreign keys on, migrations applied. */
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits, which for
  // the cache means syncing them again. Tables that exist only here raise this per transaction.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
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
    return db.transaction(work)();
  } finally {
    db.pragma(`synchronous = ${before}`);
  }
}
