/**
 * The audit trail: append-only (database triggers refuse changes) and hash-chained (each
 * entry's hash covers the entry and the hash before it), so removing, changing or reordering
 * an entry is detected by checking the chain. Written at synchronous=FULL: it exists only here.
 */
import { createHash } from 'node:crypto';
import type { AuditAction, AuditEntry, AuditReport } from '../../../shared/audit/audit-entry';
import { durableTransaction, type Db } from '../db/connection';

export interface AuditTrail {
  record(actor: string, action: AuditAction, subject: string, detail?: string): void;
  /** The newest entries (at most `limit`) and the state of the whole chain. */
  report(limit: number): AuditReport;
}

const GENESIS = '0'.repeat(64);

/** The hash of an entry: everything it says, and the hash of the entry before. */
export function entryHash(previous: string, entry: AuditEntry): string {
  const canonical = JSON.stringify([entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.detail]);
  return createHash('sha256').update(previous).update('\n').update(canonical).digest('hex');
}

interface Row extends AuditEntry {
  prevHash: string;
  hash: string;
}

export function createAuditTrail(db: Db): AuditTrail {
  const last = db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(`INSERT INTO audit (seq, at, actor, action, subject, detail, prev_hash, hash)
    VALUES (@seq, @at, @actor, @action, @subject, @detail, @prevHash, @hash)`);
  const all = db.prepare('SELECT seq, at, actor, action, subject, detail, prev_hash AS prevHash, hash FROM audit ORDER BY seq');
  const newest = db.prepare('SELECT seq, at, actor, action, subject, detail FROM audit ORDER BY seq DESC LIMIT ?');

  const append = (actor: string, action: AuditAction, subject: string, detail: string): void => {
    const before = last.get() as { seq: number; hash: string } | undefined;
    const entry: AuditEntry = { seq: (before?.seq ?? 0) + 1, at: new Date().toISOString(), actor, action, subject, detail };
    const prevHash = before?.hash ?? GENESIS;
    insert.run({ ...entry, prevHash, hash: entryHash(prevHash, entry) });
  };

  const verify = (): AuditReport['chain'] => {
    let previous = GENESIS;
    let expectedSeq = 1;
    let length = 0;
    for (const row of all.iterate() as Iterable<Row>) {
      const { prevHash, hash, ...entry } = row;
      if (row.seq !== expectedSeq) return { intact: false, brokenAt: expectedSeq, reason: `entry ${expectedSeq} is missing` };
      if (prevHash !== previous) return { intact: false, brokenAt: row.seq, reason: `entry ${row.seq} does not follow the entry before it` };
      if (hash !== entryHash(previous, entry)) return { intact: false, brokenAt: row.seq, reason: `entry ${row.seq} has been changed` };
      previous = hash;
      expectedSeq += 1;
      length += 1;
    }
    return { intact: true, length };
  };

  return {
    record: (actor, action, subject, detail = '') => durableTransaction(db, () => append(actor, action, subject, detail)),
    report: (limit) => ({ entries: newest.all(limit) as AuditEntry[], chain: verify() }),
  };
}
