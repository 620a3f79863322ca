/**
 * The cache key: 32 random bytes, kept only wrapped by the OS key store (safeStorage) in
 * cache-key.json beside the cache. Unwrapped, it lives in this process's memory alone.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { KeyWrap } from './key-wrap';
import { writeFileAtomic } from './write-atomic';

export const KEY_FILE = 'cache-key.json';

const keyFileSchema = z.object({ version: z.literal(1), backend: z.string(), wrapped: z.base64() });
const HEX_KEY = /^[0-9a-f]{64}$/;

export type KeyRead = { state: 'found'; key: Buffer } | { state: 'missing' } | { state: 'lost'; reason: string };

export function readCacheKey(dataDir: string, wrap: KeyWrap): KeyRead {
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) return { state: 'missing' };
  let stored: z.infer<typeof keyFileSchema>;
  try {
    stored = keyFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return { state: 'lost', reason: 'the cache key file is damaged' };
  }
  let secret: string;
  try {
    secret = wrap.unwrap(Buffer.from(stored.wrapped, 'base64'));
  } catch {
    return { state: 'lost', reason: `the key store (${stored.backend}) no longer opens the cache key; it may have been reset, or the profile moved to another machine or user` };
  }
  if (!HEX_KEY.test(secret)) return { state: 'lost', reason: 'the cache key unwrapped to something that is not a key' };
  return { state: 'found', key: Buffer.from(secret, 'hex') };
}

/** A new key, wrapped but not yet stored: wrapping can fail, and then nothing has changed on disk. */
export function newCacheKey(wrap: KeyWrap): { key: Buffer; save: (dataDir: string) => void } {
  const key = randomBytes(32);
  const stored = JSON.stringify({ version: 1, backend: wrap.backend, wrapped: wrap.wrap(key.toString('hex')).toString('base64') });
  return { key, save: (dataDir) => writeFileAtomic(join(dataDir, KEY_FILE), stored) };
}
