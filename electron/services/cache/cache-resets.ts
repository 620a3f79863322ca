/**
 * Caches that could not be opened and were replaced, kept outside the encrypted store until the
 * consultant has read the alert: a restart before then must not lose the count of outcomes that
 * had not reached the GP. Reasons, counts and folder names only; nothing about patients.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './write-atomic';

export const RESETS_FILE = 'cache-resets.json';

const resetSchema = z.object({
  reason: z.string().max(500),
  unsentOutcomes: z.number().int().min(0).nullable(),
  setAsideAs: z.string().max(100),
  at: z.iso.datetime(),
  /** The file was damaged but its key was good: kept, and with it the outcome journal, which restores what the cache held. */
  keptKey: z.boolean().optional(),
});
export type CacheReset = z.infer<typeof resetSchema>;

export function pendingCacheResets(dataDir: string): CacheReset[] {
  const file = join(dataDir, RESETS_FILE);
  if (!existsSync(file)) return [];
  try {
    return z.array(resetSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // Damaged: still say that something happened rather than nothing.
    return [{ reason: 'the record of an earlier reset is damaged', unsentOutcomes: null, setAsideAs: 'lost-cache-*', at: new Date(0).toISOString() }];
  }
}

export function recordCacheReset(dataDir: string, reset: CacheReset): void {
  writeFileAtomic(join(dataDir, RESETS_FILE), JSON.stringify([...pendingCacheResets(dataDir), reset]));
}

export function acknowledgeCacheResets(dataDir: string): void {
  rmSync(join(dataDir, RESETS_FILE), { force: true });
}

export function lostCacheMessage(reset: CacheReset): string {
  if (reset.keptKey) {
    return `The desk's cache could not be used (${reset.reason}). It was set aside as ${reset.setAsideAs} and a fresh cache is syncing from the server. Signed outcomes are also kept in the desk's outcome journal, apart from the cache: any the damaged cache held that had not reached the GP are restored and sent.`;
  }
  const n = reset.unsentOutcomes;
  const unsent =
    n === null
      ? 'Whether any signed outcomes were still waiting to be sent is not known: check with the GPs for outcomes signed recently.'
      : n === 0
        ? 'No signed outcomes were waiting to be sent.'
        : `${n} signed outcome${n === 1 ? ' was' : 's were'} still waiting to be sent and ${n === 1 ? 'has' : 'have'} NOT reached the GP: find ${n === 1 ? 'it' : 'them'} among the referrals you had in review and sign again.`;
  return `The desk's encrypted cache could not be opened (${reset.reason}). A fresh cache was started and is syncing from the server; the old one was kept, still encrypted, as ${reset.setAsideAs}. ${unsent}`;
}
