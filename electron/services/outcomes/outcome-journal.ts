/**
 * The outcome journal: every signed outcome, and how each was settled (sent, undone, set aside,
 * handled elsewhere), appended to a file of its own beside the cache and flushed to disk before
 * the desk says "signed". It does not share the cache's failures: a cache file deleted, cut
 * short or damaged, or its log lost after a kill, leaves the journal, from which the desk
 * restores what the cache lost (outcome-recovery.ts).
 *
 * Each record is sealed on its own (AES-256-GCM under a key derived from the cache key), so a
 * damaged record is found and counted, never read as something else; the records before it
 * still count, and so do the ones after it when their framing holds.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, renameSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { outcomeDraftSchema, STATES_SETTLED } from '../../../shared/outcome/outcome';
import { OUTCOME_KINDS } from '../../../shared/outcome/outcome-kinds';
import type { NewOutcome } from '../db/outcome-store';

export const JOURNAL_FILE = 'outcome-journal.bin';

/** How an outcome was settled: nothing more will be sent for it. */
export type SettledState = (typeof STATES_SETTLED)[number];

const signedSchema = z.object({
  type: z.literal('signed'),
  outcome: z.object({
    outcomeId: z.uuid(), referralId: z.string(), kind: z.enum(OUTCOME_KINDS), draft: outcomeDraftSchema,
    signedAt: z.iso.datetime({ offset: true }), signedBy: z.string(), targetDate: z.string().nullable(), undoUntil: z.iso.datetime({ offset: true }),
  }),
});
const settledSchema = z.object({ type: z.literal('settled'), outcomeId: z.uuid(), state: z.enum(STATES_SETTLED), at: z.iso.datetime({ offset: true }) });
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
  /** Records that could not be read (damaged, cut short): what they held is not known. */
  unreadable: number;
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
  const file = join(dataDir, JOURNAL_FILE);
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
  const append = (records: readonly JournalRecord[], to = file, flags = 'a'): void => {
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
   * appended after it: it is copied aside, for looking at by hand, and cut off. It counts as
   * unreadable this once.
   */
  const dropTornTail = (): number => {
    if (!existsSync(file)) return 0;
    const bytes = readFileSync(file);
    let at = 0;
    while (at + 4 <= bytes.length) {
      const length = bytes.readUInt32BE(at);
      if (length < NONCE + TAG || length > MAX_RECORD_BYTES || at + 4 + length > bytes.length) break;
      at += 4 + length;
    }
    if (at === bytes.length) return 0;
    copyFileSync(file, `${file}.torn-${Date.now()}`);
    truncateSync(file, at);
    return 1;
  };
  let torn = 0;
  try {
    torn = dropTornTail();
  } catch {
    // Not cut back now (a file the desk cannot write): read() counts the torn record, and a later start tries again.
  }

  const read = (): JournalContents => {
    const entries = new Map<string, JournalEntry>();
    let unreadable = torn;
    if (!existsSync(file)) return { entries, unreadable };
    const bytes = readFileSync(file);
    for (let at = 0; at < bytes.length; ) {
      const length = at + 4 <= bytes.length ? bytes.readUInt32BE(at) : -1;
      if (length < NONCE + TAG || length > MAX_RECORD_BYTES || at + 4 + length > bytes.length) {
        // The framing itself is damaged (or the last record cut short): nothing after it can be told apart.
        unreadable += 1;
        break;
      }
      const body = bytes.subarray(at + 4, at + 4 + length);
      at += 4 + length;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, body.subarray(0, NONCE));
        decipher.setAuthTag(body.subarray(body.length - TAG));
        const text = Buffer.concat([decipher.update(body.subarray(NONCE, body.length - TAG)), decipher.final()]).toString('utf8');
        const record = recordSchema.parse(JSON.parse(text));
        if (record.type === 'signed') entries.set(record.outcome.outcomeId, { outcome: record.outcome, settled: null });
        else {
          const entry = entries.get(record.outcomeId);
          if (entry) entry.settled = record.state;
        }
      } catch {
        unreadable += 1;
      }
    }
    return { entries, unreadable };
  };

  return {
    signed: (outcome) => append([{ type: 'signed', outcome }]),
    settled: (outcomeId, state, at = new Date()) => append([{ type: 'settled', outcomeId, state, at: at.toISOString() }]),
    read,
    compact() {
      const { entries, unreadable } = read();
      // Damage in the middle: the journal as it was is kept aside, for reading by hand, and the
      // new one starts clean, so the same damage is not found (and said) at every start.
      if (unreadable > torn) copyFileSync(file, `${file}.damaged-${Date.now()}`);
      const open = [...entries.values()].filter((e) => e.settled === null).map((e): JournalRecord => ({ type: 'signed', outcome: e.outcome }));
      const scratch = `${file}.compacting`;
      append(open, scratch, 'w');
      renameSync(scratch, file);
    },
  };
}
