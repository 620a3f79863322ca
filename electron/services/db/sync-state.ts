/** Small facts about syncing that must survive a restart (last success time, ...). */
import type { Db } from './connection';

export interface SyncStateStore {
  get(key: SyncStateKey): string | null;
  set(key: SyncStateKey, value: string): void;
}

/** last-success-at: when a sync last completed; checkpoint: the newest lastUpdated it has seen. */
export type SyncStateKey = 'last-success-at' | 'checkpoint';

export function createSyncStateStore(db: Db): SyncStateStore {
  const read = db.prepare('SELECT value FROM sync_state WHERE key = ?');
  const write = db.prepare('INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  return {
    get: (key) => (read.get(key) as { value: string } | undefined)?.value ?? null,
    set: (key, value) => void write.run(key, value),
  };
}
