/**
 * Messages between the sync (main thread) and the cache writer's thread. Pages go one way in
 * order; a `finish` closes a sync and is answered once everything before it is committed.
 */
import type { SyncStatus } from '../../../shared/domain/sync-status';
import type { SyncStateKey } from '../db/sync-state';
import type { PageIngest } from '../db/sync-ledger';

export type ToWriter =
  | { kind: 'page'; page: PageIngest }
  /** Sync-state values to commit with the last pages (none when a sync failed part-way). */
  | { kind: 'finish'; state: [SyncStateKey, string][] }
  | { kind: 'close' };

/** The cache's counts for the sync status, taken by the writer just after it commits. */
export type CacheCounts = Pick<SyncStatus, 'casesInCache' | 'images' | 'problemCount'>;

export type FromWriter =
  /** Answers one `finish`: problem is null when every page since the last finish and the state are committed. */
  { kind: 'finished'; problem: string | null; counts: CacheCounts };

/** What the thread needs to open its own connection to the cache. */
export interface WriterData {
  file: string;
  key: Uint8Array;
}

/**
 * Pages waiting when the thread is free are committed together, up to this many resources: few
 * commits (each one re-encrypts the pages it touches), yet a write on the main thread waits
 * for the lock no longer than one such transaction.
 */
export const MAX_RESOURCES_PER_TRANSACTION = 2000;
