/**
 * How many signed outcomes have not yet reached the GP, kept outside the encrypted cache: if the
 * cache key is ever lost, the consultant is still told that outcomes went with it. A count only,
 * nothing about patients.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './write-atomic';

export const UNSENT_FILE = 'unsent-outcomes.json';

const unsentSchema = z.object({ unsent: z.number().int().min(0), at: z.iso.datetime() });

export function recordUnsentOutcomes(dataDir: string, unsent: number, now = new Date()): void {
  writeFileAtomic(join(dataDir, UNSENT_FILE), JSON.stringify({ unsent, at: now.toISOString() }));
}

/** The last count written, or null when there is none (or it cannot be read). */
export function readUnsentOutcomes(dataDir: string): number | null {
  const file = join(dataDir, UNSENT_FILE);
  if (!existsSync(file)) return null;
  try {
    return unsentSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).unsent;
  } catch {
    return null;
  }
}
