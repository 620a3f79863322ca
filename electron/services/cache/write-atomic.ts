/** Small files written whole or not at all: a crash leaves the old file, never half a new one. */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';

export function writeFileAtomic(file: string, text: string): void {
  const scratch = `${file}.${randomUUID()}.tmp`;
  // Owner-only: these sit in the user's profile beside the cache.
  const fd = openSync(scratch, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(scratch, file);
}
