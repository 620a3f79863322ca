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
  cases: Pick<CaseStore, 'forget'>;
  pyramids: Pick<PyramidStore, 'contentOf' | 'unused'>;
  tiles: Pick<TileStore, 'remove'>;
  audit: Pick<AuditTrail, 'record'>;
  actor: string;
  retentionDays: number;
  now?: () => Date;
}

/** Removes what is due; resolves with the referrals removed. */
export function createRetention({ db, cases, pyramids, tiles, audit, actor, retentionDays, now = () => new Date() }: RetentionDeps): () => Promise<string[]> {
  const standings = createReferralStandings(db);
  const remove = db.transaction((ids: string[]) => {
    const content = pyramids.contentOf(ids);
    cases.forget(ids);
    return pyramids.unused(content);
  });
  return async () => {
    const at = now();
    const due = referralsToRemove(standings(at), at, retentionDays);
    if (due.length === 0) return [];
    const unusedTiles = remove.immediate(due);
    // The log still holds the pages as they were before: copy it into the file and empty it.
    db.pragma('wal_checkpoint(TRUNCATE)');
    for (const hash of unusedTiles) await tiles.remove(hash);
    audit.record(actor, 'cache.removed', due.join(' '), `finished ${retentionDays} day(s) or more ago; ${unusedTiles.length} image pyramid(s) deleted`);
    return due;
  };
}
