/**
 * Keeps the cache minimal: after each sync, finished work older than the retention period
 * (retention-rule.ts) leaves the cache with all it was made of, its tiles, and the people nothing
 * else refers to. Deleted content is overwritten (secure_delete, connection.ts) and the log is
 * emptied after, so nothing readable of it stays in the file.
 */
import type { AuditTrail } from '../audit/audit-trail';
import type { CaseStore } from '../db/case-store';
import type { Db } from '../db/connection';
import type { PyramidStore } from '../db/pyramid-store';
import { createReferralStandings } from '../db/referral-standing';
import type { TileStore } from '../images/tile-store';
import { referralsToRemove } from './retention-rule';

export interface RetentionDeps {
  db: Db;
  cases: Pick<CaseStore, 'forget' | 'sweepUnreferenced'>;
  pyramids: Pick<PyramidStore, 'contentOf' | 'unused'>;
  tiles: Pick<TileStore, 'remove'>;
  audit: Pick<AuditTrail, 'record'>;
  actor: string;
  /** The consultant using the desk: their own Practitioner stays. */
  reviewerId: string | null;
  retentionDays: number;
  now?: () => Date;
}

/** Removes what is due; resolves with the referrals removed. */
export function createRetention({ db, cases, pyramids, tiles, audit, actor, reviewerId, retentionDays, now = () => new Date() }: RetentionDeps): () => Promise<string[]> {
  const standings = createReferralStandings(db);
  const changes = db.prepare('SELECT total_changes() AS n').pluck();
  const remove = db.transaction((ids: string[]) => {
    const content = pyramids.contentOf(ids);
    const before = changes.get() as number;
    cases.forget(ids);
    cases.sweepUnreferenced(reviewerId);
    return { removedRows: (changes.get() as number) - before, unusedTiles: pyramids.unused(content) };
  });
  return async () => {
    const at = now();
    const due = referralsToRemove(standings(at), at, retentionDays);
    // Run every time: it also takes what a sync killed part-way left behind.
    const { removedRows, unusedTiles } = remove.immediate(due);
    if (removedRows === 0 && unusedTiles.length === 0) return [];
    // The log still holds the pages as they were before: copy it into the file and empty it.
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const hash of unusedTiles) await tiles.remove(hash);
    audit.record(actor, 'cache.removed', due.join(' ') || '(no referral)',
      `finished ${retentionDays} day(s) or more ago, or sent to another service; ${removedRows} row(s) and ${unusedTiles.length} image pyramid(s) deleted`);
    return due;
  };
}
