/**
 * Opens the encrypted cache: unwrap the key, open the database with it, derive the tiles' key.
 * A key that is gone never stops the desk: the old cache is set aside (still encrypted, so it
 * can be opened again should the key store come back), a fresh one starts and syncs, and the
 * consultant is told (cache-resets.ts), with the number of outcomes that had not yet reached the GP.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import { cacheFileKind, openDatabase, WrongCacheKey, type Db } from '../db/connection';
import { KEY_FILE, newCacheKey, readCacheKey } from './cache-key';
import { recordCacheReset, type CacheReset } from './cache-resets';
import type { KeyWrap } from './key-wrap';
import { readUnsentOutcomes, UNSENT_FILE } from './unsent-outcomes';
import { JOURNAL_FILES } from '../outcomes/outcome-journal';
import { inPlainWords } from '../../../shared/ipc/dispatch';

export const DATABASE_FILE = 'desk.sqlite';
export const TILES_FOLDER = 'tiles';

export interface Cache {
  db: Db;
  /** For the image tiles on disk; derived from the cache key, never stored. */
  tileKey: Buffer;
  /** Set when the old cache could not be opened and a fresh one was started (also kept in RESETS_FILE). */
  reset: CacheReset | null;
  /** What another thread needs to open a connection of its own to the same cache. */
  connection: CacheConnection;
}

export interface CacheConnection {
  file: string;
  key: Buffer;
}

/** The consultant chose not to replace a cache that could not be opened (to try again later). */
export class CacheKept extends Error {}

/**
 * Asked before an unreadable cache is set aside: true to start a fresh one now, false to leave
 * everything as it is (a keyring still locked, a Keychain prompt refused, may work next time).
 * Without one, the desk starts fresh (tests, and the browser carrier).
 */
export type ConfirmCacheReset = (reason: string, unsentOutcomes: number | null) => boolean;

export function openCache(dataDir: string, wrap: KeyWrap, confirmReset?: ConfirmCacheReset, now = new Date()): Cache {
  mkdirSync(dataDir, { recursive: true });
  const dbFile = join(dataDir, DATABASE_FILE);

  const read = readCacheKey(dataDir, wrap);
  let lostBecause: string | null = null;
  if (read.state === 'found') {
    // The key is the one stored, so a file it does not open, or one found damaged, is damage.
    const opened = openChecked(dbFile, read.key);
    if ('db' in opened) return { db: opened.db, tileKey: tileKeyFrom(read.key), reset: null, connection: { file: dbFile, key: read.key } };
    const reset: CacheReset = {
      reason: opened.damage, unsentOutcomes: readUnsentOutcomes(dataDir), setAsideAs: setAside(dataDir, now, 'damaged-cache', DATABASE_FILES), at: now.toISOString(),
      // Only a journal already written can restore anything (the first start on a version that keeps one has none).
      keptKey: JOURNAL_FILES.some((name) => existsSync(join(dataDir, name))),
    };
    recordCacheReset(dataDir, reset);
    // The same key: the outcome journal, sealed under it, restores what the damaged file held.
    return { db: openDatabase(dbFile, read.key), tileKey: tileKeyFrom(read.key), reset, connection: { file: dbFile, key: read.key } };
  } else if (read.state === 'lost') {
    lostBecause = read.reason;
  } else if (cacheFileKind(dbFile) === 'encrypted') {
    lostBecause = 'the cache key file is missing';
  }

  const unsentOutcomes = lostBecause ? readUnsentOutcomes(dataDir) : null;
  if (lostBecause && confirmReset && !confirmReset(lostBecause, unsentOutcomes)) {
    throw new CacheKept(`The desk's cache was left as it was (${lostBecause}); start the desk again once the key store is available.`);
  }
  // Wrapped first: if the key store refuses, nothing has been moved or removed yet.
  const fresh = newCacheKey(wrap);
  let reset: CacheReset | null = null;
  if (lostBecause) {
    reset = { reason: lostBecause, unsentOutcomes, setAsideAs: setAside(dataDir, now, 'lost-cache', [...DATABASE_FILES, KEY_FILE, UNSENT_FILE, ...JOURNAL_FILES]), at: now.toISOString() };
    recordCacheReset(dataDir, reset);
  } else if (JOURNAL_FILES.some((name) => existsSync(join(dataDir, name)))) {
    // A journal sealed under a key that is gone (key file and cache both missing): unreadable
    // under the new one, so it goes aside rather than be reported damaged at every start.
    setAside(dataDir, now, 'lost-journal', [...JOURNAL_FILES]);
  }
  // Tiles from before (sealed under another key, or plain from before encryption) can never be
  // served again and must not stay on disk: pyramids are rebuilt from the server.
  rmSync(join(dataDir, TILES_FOLDER), { recursive: true, force: true });
  fresh.save(dataDir);
  return { db: openDatabase(dbFile, fresh.key), tileKey: tileKeyFrom(fresh.key), reset, connection: { file: dbFile, key: fresh.key } };
}

function tileKeyFrom(cacheKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', cacheKey, Buffer.alloc(0), 'derm-review-desk tiles v1', 32));
}

/** The database and the files SQLite keeps beside it. */
const DATABASE_FILES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`];

/**
 * Opens the cache and checks it (quick_check: every page read and authenticated, every b-tree
 * whole; see the cache-open benchmark for its cost), or says what is wrong, in words for the
 * consultant: never SQLite's own message alone.
 */
function openChecked(file: string, key: Buffer): { db: Db } | { damage: string } {
  let db: Db | null = null;
  try {
    db = openDatabase(file, key);
    const found = db.pragma('quick_check', { simple: true });
    if (found === 'ok') return { db };
    db.close();
    // SQLite's own words are for IT, not for the consultant's screen.
    console.error('the cache failed its check when opened:', found);
    return { damage: 'the cache file is damaged: the check made when the desk opens found parts of it unreadable' };
  } catch (err) {
    db?.close();
    if (err instanceof WrongCacheKey) return { damage: 'the cache file is damaged: its key no longer opens it' };
    const code = (err as { code?: unknown }).code;
    // Damage only: a passing I/O error (a file locked by a virus scanner) must not set a sound cache aside.
    if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
      console.error('the cache could not be opened:', err);
      return { damage: 'the cache file is damaged: it is cut short or cannot be read' };
    }
    throw inPlainWords(err);
  }
}

/** Moves these files of the cache into a dated folder, to be looked at or opened again by hand. */
function setAside(dataDir: string, now: Date, prefix: string, files: readonly string[]): string {
  const name = `${prefix}-${now.toISOString().replace(/[:.]/g, '-')}`;
  const folder = join(dataDir, name);
  mkdirSync(folder);
  for (const file of files) {
    if (existsSync(join(dataDir, file))) renameSync(join(dataDir, file), join(folder, file));
  }
  return name;
}
