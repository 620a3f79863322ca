/**
 * The outcome journal: every signed outcome, and how each was settled (sent, undone, set aside,
 * handled elsewhere), appended to a file of its own beside the cache and flushed to disk before
 * the desk says "signed". It does not share the cache's failures: a cache file deleted, cut
 * short or damaged, or its log lost after a kill, leaves the journal, from which the desk
 * restores what the cache lost (outcome-recovery.ts).
 *
 * Each record is sealed on its own (AES-256-GCM under a key derived from the cache key), so a
 * damaged record is found and counted, never read as something else; the records before it
 * still count, and so do the ones after it when their framing holds. Every record is written to
 * two files, each flushed, and numbered: what one copy lost the other gives back, and a record
 * lost from both shows as a gap in the numbers (or as both copies ending damaged).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { outcomeDraftSchema, STATES_SETTLED } from '../../../shared/outcome/outcome';
import { OUTCOME_KINDS } from '../../../shared/outcome/outcome-kinds';
import type { NewOutcome } from '../db/outcome-store';

export const JOURNAL_FILE = 'outcome-journal.bin';
/** The same records again, in a file of their own. */
export const JOURNAL_COPY_FILE = 'outcome-journal.copy.bin';
export const JOURNAL_FILES = [JOURNAL_FILE, JOURNAL_COPY_FILE] as const;

/** How an outcome was settled: nothing more will be sent for it. */
export type SettledState = (typeof STATES_SETTLED)[number];

/**
 * A record's number (none on records from before there were two copies), and the number its
 * journal started from when last written whole: numbers only grow, so a copy not yet replaced
 * after a compaction cut short never shares a number with the one that was.
 */
const seq = z.number().int().positive().optional();
const from = z.number().int().positive().optional();
const signedSchema = z.object({
  type: z.literal('signed'),
  seq,
  from,
  outcome: z.object({
    outcomeId: z.uuid(), referralId: z.string(), kind: z.enum(OUTCOME_KINDS), draft: outcomeDraftSchema,
    signedAt: z.iso.datetime({ offset: true }), signedBy: z.string(), targetDate: z.string().nullable(), undoUntil: z.iso.datetime({ offset: true }),
  }),
});
const settledSchema = z.object({ type: z.literal('settled'), seq, from, outcomeId: z.uuid(), state: z.enum(STATES_SETTLED), at: z.iso.datetime({ offset: true }) });
const recordSchema = z.discriminatedUnion('type', [signedSchema, settledSchema]);
type JournalRecord = z.infer<typeof recordSchema>;

/** Framing: length (4 bytes), nonce (12), sealed record, tag (16). A record is small; more is damage. */
const NONCE = 12;
const TAG = 16;
const MAX_RECORD_BYTES = 256 * 1024;

export interface JournalEntry {
  outcome: NewOutcome;
  /** How it was settled, when it was. */
  settled: SettledState | null;
}

export interface JournalContents {
  /** By outcome id, in signing order. */
  entries: Map<string, JournalEntry>;
  /** Records that could not be read from either copy (damaged, cut short): what they held is not known. */
  unreadable: number;
}

/** What one copy holds. */
interface CopyContents {
  records: JournalRecord[];
  /** Records of this copy that could not be read. */
  unreadable: number;
  /** Its last record could not be read (or the file is missing): records after it, if any, are not known. */
  endsDamaged: boolean;
  /** The number of its last record read; 0 for none. */
  lastSeq: number;
}

export interface OutcomeJournal {
  signed(outcome: NewOutcome): void;
  settled(outcomeId: string, state: SettledState, at?: Date): void;
  read(): JournalContents;
  /** Writes the journal again with only the outcomes not yet settled (and whole), replacing it at once. */
  compact(): void;
}

export function isSettled(state: string): state is SettledState {
  return (STATES_SETTLED as readonly string[]).includes(state);
}

function journalKey(cacheKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', cacheKey, Buffer.alloc(0), 'derm-review-desk outcome journal v1', 32));
}

export function openOutcomeJournal(dataDir: string, cacheKey: Buffer): OutcomeJournal {
  const files = JOURNAL_FILES.map((name) => join(dataDir, name));
  const key = journalKey(cacheKey);

  const seal = (record: JournalRecord): Buffer => {
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const sealed = Buffer.concat([cipher.update(JSON.stringify(record), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(NONCE + sealed.length);
    return Buffer.concat([length, nonce, sealed]);
  };

  /**
   * Appends and flushes: once this returns, the record survives a kill or a power cut. A write
   * that fails part-way (a full disk) is cut back off, so that the next record starts where a
   * reader expects one.
   */
  const appendTo = (to: string, records: readonly JournalRecord[], flags = 'a'): void => {
    const fd = openSync(to, flags, 0o600);
    const before = fstatSync(fd).size;
    try {
      writeSync(fd, Buffer.concat(records.map(seal)));
      fsyncSync(fd);
    } catch (err) {
      try {
        ftruncateSync(fd, before);
      } catch {
        // Cut back at the next open instead (dropTornTail).
      }
      throw err;
    } finally {
      closeSync(fd);
    }
  };

  /**
   * A last record cut short (a kill or power cut during its write) would swallow every record
   * appended after it: it is copied aside, for looking at by hand, and cut off. That copy ends
   * damaged this once.
   */
  const dropTornTail = (file: string): boolean => {
    if (!existsSync(file)) return false;
    const bytes = readFileSync(file);
    let at = 0;
    while (at + 4 <= bytes.length) {
      const length = bytes.readUInt32BE(at);
      if (length < NONCE + TAG || length > MAX_RECORD_BYTES || at + 4 + length > bytes.length) break;
      at += 4 + length;
    }
    if (at === bytes.length) return false;
    copyFileSync(file, `${file}.torn-${Date.now()}`);
    truncateSync(file, at);
    return true;
  };
  const torn = files.map((file) => {
    try {
      return dropTornTail(file);
    } catch {
      return false; // Not cut back now (a file the desk cannot write): reading finds the torn record, and a later start tries again.
    }
  });

  const readCopy = (file: string, index: number): CopyContents => {
    const copy: CopyContents = { records: [], unreadable: torn[index] ? 1 : 0, endsDamaged: !existsSync(file) || torn[index] === true, lastSeq: 0 };
    if (!existsSync(file)) return copy;
    const bytes = readFileSync(file);
    for (let at = 0; at < bytes.length; ) {
      const length = at + 4 <= bytes.length ? bytes.readUInt32BE(at) : -1;
      if (length < NONCE + TAG || length > MAX_RECORD_BYTES || at + 4 + length > bytes.length) {
        // The framing itself is damaged (or the last record cut short): nothing after it can be told apart.
        copy.unreadable += 1;
        copy.endsDamaged = true;
        break;
      }
      const body = bytes.subarray(at + 4, at + 4 + length);
      at += 4 + length;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, NONCE));
        decipher.setAuthTag(body.subarray(body.length - TAG));
        const text = Buffer.concat([decipher.update(body.subarray(NONCE, body.length - TAG)), decipher.final()]).toString('utf8');
        const record = recordSchema.parse(JSON.parse(text));
        copy.records.push(record);
        copy.lastSeq = record.seq ?? copy.lastSeq;
        copy.endsDamaged = torn[index] === true;
      } catch {
        copy.unreadable += 1;
        copy.endsDamaged = true;
      }
    }
    return copy;
  };

  const readCopies = (): CopyContents[] => files.map(readCopy);

  /** Both copies as one: each record once, in order; lost only what neither copy gives. */
  const merge = (copies: readonly CopyContents[]): JournalContents & { top: number; start: number } => {
    const numbered = new Map<number, JournalRecord>();
    const unnumbered: JournalRecord[] = [];
    for (const copy of copies) {
      for (const record of copy.records) {
        if (record.seq === undefined) unnumbered.push(record);
        else numbered.set(record.seq, record);
      }
    }
    const top = Math.max(0, ...numbered.keys());
    // Numbers run on from where the oldest journal still read was started.
    const bottom = Math.min(top + 1, ...[...numbered.values()].map((record) => record.from ?? 1));
    /** Where the newest journal was started: records appended go on with it. */
    const start = numbered.get(top)?.from ?? 1;
    const existing = files.map((file) => existsSync(file));
    // With one copy (the other lost, or a journal from before there were two), it is all there is.
    const unreadable = existing.filter(Boolean).length < 2
      ? copies.reduce((n, copy, index) => n + (existing[index] ? copy.unreadable : 0), 0)
      // With two: the numbers missing from both, and one more where a copy that holds the last
      // number ends damaged: a record after it was being written there (the other copy is
      // written second, so may never have had it).
      : top - bottom + 1 - numbered.size + (copies.some((copy) => copy.endsDamaged && copy.lastSeq === top) ? 1 : 0);
    const entries = new Map<string, JournalEntry>();
    for (const record of [...unnumbered, ...[...numbered.keys()].sort((a, b) => a - b).map((n) => numbered.get(n) as JournalRecord)]) {
      if (record.type === 'signed') entries.set(record.outcome.outcomeId, { outcome: record.outcome, settled: null });
      else {
        const entry = entries.get(record.outcomeId);
        if (entry) entry.settled = record.state;
      }
    }
    return { entries, unreadable, top, start };
  };

  /** The next record's number: known once the journal has been read, never guessed (a number given twice would hide a record). */
  let next: { seq: number; from: number } | null = null;
  const numberOf = (): { seq: number; from: number } => {
    if (next === null) {
      const { top, start } = merge(readCopies());
      next = { seq: top + 1, from: start };
    }
    return { seq: next.seq++, from: next.from };
  };
  /** Writes to both copies; each is tried even when the other fails, and a failure is then thrown. */
  const append = (record: JournalRecord): void => {
    const numbered = { ...record, ...numberOf() };
    const failures = files.flatMap((file) => {
      try {
        appendTo(file, [numbered]);
        return [];
      } catch (err) {
        return [err];
      }
    });
    if (failures.length > 0) throw failures[0];
  };

  return {
    signed: (outcome) => append({ type: 'signed', outcome }),
    settled: (outcomeId, state, at = new Date()) => append({ type: 'settled', outcomeId, state, at: at.toISOString() }),
    read: () => {
      const { entries, unreadable } = merge(readCopies());
      return { entries, unreadable };
    },
    compact() {
      const copies = readCopies();
      const { entries, top } = merge(copies);
      // A damaged copy is kept aside, for reading by hand, and the new ones start clean, so the
      // same damage is not found (and said) at every start.
      copies.forEach((copy, index) => {
        const file = files[index] as string;
        if (copy.unreadable > (torn[index] ? 1 : 0) && existsSync(file)) copyFileSync(file, `${file}.damaged-${Date.now()}`);
      });
      const start = top + 1;
      const open = [...entries.values()].filter((e) => e.settled === null).map((e, index): JournalRecord => ({ type: 'signed', seq: start + index, from: start, outcome: e.outcome }));
      for (const file of files) {
        const scratch = `${file}.compacting`;
        appendTo(scratch, open, 'w');
        renameSync(scratch, file);
      }
      next = { seq: start + open.length, from: start };
      torn.fill(false);
    },
  };
}
