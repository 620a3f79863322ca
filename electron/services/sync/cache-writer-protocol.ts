/**
 * Messages between the sync (main thread) and the cache writer's thread. Pages go one way in
 * order; each batch taken off the queue is acknowledged (so the sync can wait when too many are
 * queued), and a `finish` closes a sync and is answered once everything before it is committed.
 * Both ends are this program's own code in one process: the types are the check.
 */
import type { SyncStatus } from '../../../shared/domain/sync-status';
import type { SyncStateKey } from '../db/sync-state';
import type { PackedPage } from './page-wire';

export type ToWriter =
  | { kind: 'page'; page: PackedPage }
  /** Sync-state values to commit with the last pages (none when a sync failed part-way). */
  | { kind: 'finish'; state: [SyncStateKey, string][] }
  | { kind: 'close' };

/** The cache's counts for the sync status, taken by the writer just after it commits. */
export type CacheCounts = Pick<SyncStatus, 'casesInCache' | 'images' | 'problemCount'>;

export type FromWriter =
  /** The thread has opened its connection: sent once, first. */
  | { kind: 'ready' }
  /** This many pages were taken off the queue (committed, or refused for the reason a finish will give). */
  | { kind: 'taken'; pages: number }
  /** Answers one `finish`: problem is null when every page since the last finish and the state are committed. */
  | { kind: 'finished'; problem: string | null; counts: CacheCounts };

/** What the thread needs to open its own connection to the cache. */
export interface WriterData {
  file: string;
  /** Copied to the thread, used once to key its connection, then zeroed there. */
  key: Uint8Array;
}

/** How far below normal priority the thread runs, as a Unix niceness (0 normal, 19 lowest). */
export const WRITER_NICENESS = 10;
