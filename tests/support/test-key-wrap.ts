/**
 * Stands in for Electron's safeStorage, which exists only inside Electron (not runnable on the
 * build machines): real AES-256-GCM (the desk's own sealing, tile-cipher.ts) under a key derived
 * from a name, so a test can also make the "key store was reset" case by unwrapping with another
 * name. Never used by the app.
 */
import { createHash } from 'node:crypto';
import type { KeyWrap } from '../../electron/services/cache/key-wrap';
import { createTileCipher } from '../../electron/services/images/tile-cipher';

export function testKeyWrap(name = 'test key store', warning: string | null = null): KeyWrap {
  const cipher = createTileCipher(createHash('sha256').update(`derm-review-desk test key wrap: ${name}`).digest());
  return {
    backend: `test (${name})`,
    warning,
    wrap: (secret) => cipher.seal(Buffer.from(secret, 'utf8'), 'cache key'),
    unwrap(wrapped) {
      const secret = cipher.open(wrapped, 'cache key');
      if (!secret) throw new Error(`the ${name} cannot unwrap this key`);
      return secret.toString('utf8');
    },
  };
}

/** The wrap every test desk uses unless it is testing a lost key. */
export const TEST_KEY_WRAP = testKeyWrap();
