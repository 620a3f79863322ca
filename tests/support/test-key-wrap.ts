/**
 * Stands in for Electron's safeStorage, which exists only inside Electron (not runnable on the
 * build machines): real AES-256-GCM under a key derived from a name, so a test can also make
 * the "key store was reset" case by unwrapping with another name. Never used by the app.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { KeyWrap } from '../../electron/services/cache/key-wrap';

export function testKeyWrap(name = 'test key store', warning: string | null = null): KeyWrap {
  const key = createHash('sha256').update(`derm-review-desk test key wrap: ${name}`).digest();
  return {
    backend: `test (${name})`,
    warning,
    wrap(secret) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    unwrap(wrapped) {
      const decipher = createDecipheriv('aes-256-gcm', key, wrapped.subarray(0, 12));
      decipher.setAuthTag(wrapped.subarray(12, 28));
      return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** The wrap every test desk uses unless it is testing a lost key. */
export const TEST_KEY_WRAP = testKeyWrap();
