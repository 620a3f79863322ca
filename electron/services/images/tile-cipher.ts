/**
 * Tiles on disk are sealed with AES-256-GCM under a key derived from the cache key: unreadable
 * without it, and a tile that was changed, cut short or copied to another address fails its
 * check and is not served.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const MAGIC = Buffer.from('DRT1', 'latin1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface TileCipher {
  /** `address` names the tile (image content and position); it is authenticated, not stored. */
  seal: (plain: Buffer, address: string) => Buffer;
  /** The plain tile, or null when the bytes fail their check. */
  open: (sealed: Buffer, address: string) => Buffer | null;
}

export function createTileCipher(key: Buffer): TileCipher {
  if (key.length !== 32) throw new Error('the tile key must be 32 bytes');
  return {
    seal(plain, address) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(address, 'utf8'));
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([MAGIC, iv, body, cipher.getAuthTag()]);
    },
    open(sealed, address) {
      if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) return null;
      const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
      const tag = sealed.subarray(sealed.length - TAG_BYTES);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(address, 'utf8'));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      } catch {
        return null;
      }
    },
  };
}
