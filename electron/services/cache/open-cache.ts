/**
 * Opens the encrypted cache: unwrap the key, open the database with it, derive the tiles' key.
 * A key that is gone never stops the desk: the old cache is set aside (still encrypted, so it
 * can be opened again should the key store come back), a fresh one starts and syncs, and the
 * consultant is told, with the number of outcomes that had not yet reached the GP.
 */
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { hkdfSync } from 'node:crypto';
import { join } from 'node:path';
import type { DeskNotice } from '../../../shared/ipc/contract';
import { cacheFileKind, openDatabase, WrongCacheKey, type Db } from '../db/connection';
import { KEY_FILE, newCacheKey, readCacheKey } from './cache-key';
import type { KeyWrap } from './key-wrap';
import { readUnsentOutcomes, UNSENT_FILE } from './unsent-outcomes';

export const DATABASE_FILE = 'desk.sqlite';
export const TILES_FOLDER = 'tiles';

export interface Cache {
  db: Db;
  /** For the image tiles on disk; derived from the cache key, never stored. */
  tileKey: Buffer;
  /** What the consultant must be told about the cache itself. */
  notices: DeskNotice[];
  /** Set when the old cache could not be opened and a fresh one was started. */
  reset: { reason: string; unsentOutcomes: number | null; setAsideAs: string } | null;
}

export function openCache(dataDir: string, wrap: KeyWrap, now = new Date()): Cache {
  mkdirSync(dataDir, { recursive: true });
  const dbFile = join(dataDir, DATABASE_FILE);
  const notices: DeskNotice[] = wrap.warning ? [{ level: 'warning', message: wrap.warning }] : [];

  const read = readCacheKey(dataDir, wrap);
  let lostBecause: string | null = null;
  if (read.state === 'found') {
    try {
      return { db: openDatabase(dbFile, read.key), tileKey: tileKeyFrom(read.key), notices, reset: null };
    } catch (err) {
      if (!(err instanceof WrongCacheKey)) throw err;
      lostBecause = 'the cache could not be unlocked or read with its key';
    }
  } else if (read.state === 'lost') {
    lostBecause = read.reason;
  } else if (cacheFileKind(dbFile) === 'encrypted') {
    lostBecause = 'the cache key file is missing';
  }

  // Wrapped first: if the key store refuses, nothing has been moved or removed yet.
  const fresh = newCacheKey(wrap);
  let reset: Cache['reset'] = null;
  if (lostBecause) {
    const unsentOutcomes = readUnsentOutcomes(dataDir);
    const setAsideAs = setAside(dataDir, now);
    reset = { reason: lostBecause, unsentOutcomes, setAsideAs };
    notices.push({ level: 'alert', message: lostCacheMessage(reset) });
  }
  // Tiles from before (sealed under another key, or plain from before encryption) can never be
  // served again and must not stay on disk: pyramids are rebuilt from the server.
  rmSync(join(dataDir, TILES_FOLDER), { recursive: true, force: true });
  fresh.save(dataDir);
  return { db: openDatabase(dbFile, fresh.key), tileKey: tileKeyFrom(fresh.key), notices, reset };
}

export function lostCacheMessage(reset: NonNullable<Cache['reset']>): string {
  const unsent =
    reset.unsentOutcomes === null
      ? 'Whether any signed outcomes were still waiting to be sent is not known: check with the GPs for outcomes signed recently.'
      : reset.unsentOutcomes === 0
        ? 'No signed outcomes were waiting to be sent.'
        : `${reset.unsentOutcomes} signed outcome${reset.unsentOutcomes === 1 ? ' was' : 's were'} still waiting to be sent and ${reset.unsentOutcomes === 1 ? 'has' : 'have'} NOT reached the GP: find ${reset.unsentOutcomes === 1 ? 'it' : 'them'} among the referrals you had in review and sign again.`;
  return `The desk's encrypted cache could not be opened (${reset.reason}). A fresh cache was started and is syncing from the server; the old one was kept, still encrypted, as ${reset.setAsideAs}. ${unsent}`;
}

function tileKeyFrom(cacheKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', cacheKey, Buffer.alloc(0), 'derm-review-desk tiles v1', 32));
}

/** Moves the unreadable cache and its key into a dated folder. */
function setAside(dataDir: string, now: Date): string {
  const name = `lost-cache-${now.toISOString().replace(/[:.]/g, '-')}`;
  const folder = join(dataDir, name);
  mkdirSync(folder);
  for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`, KEY_FILE, UNSENT_FILE]) {
    if (existsSync(join(dataDir, file))) renameSync(join(dataDir, file), join(folder, file));
  }
  return name;
}
