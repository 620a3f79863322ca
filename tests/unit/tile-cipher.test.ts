import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTileCipher } from '../../electron/services/images/tile-cipher';

const key = randomBytes(32);
const tile = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF tile bytes '.repeat(40))]);
const at = 'a'.repeat(64) + '/12/3_4';

describe('sealed tiles', () => {
  it('opens what it sealed, and the sealed bytes hide the tile', () => {
    const cipher = createTileCipher(key);
    const sealed = cipher.seal(tile, at);
    expect(cipher.open(sealed, at)).toEqual(tile);
    expect(sealed.includes('JFIF')).toBe(false);
    expect(sealed.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    // A fresh nonce each time: the same tile never seals to the same bytes.
    expect(cipher.seal(tile, at).equals(sealed)).toBe(false);
  });

  it.each([
    ['one bit changed in the body', (s: Buffer): Buffer => Buffer.from(s.map((b, i) => (i === 40 ? b ^ 1 : b)))],
    ['one bit changed in the tag', (s: Buffer): Buffer => Buffer.from(s.map((b, i) => (i === s.length - 1 ? b ^ 1 : b)))],
    ['cut short', (s: Buffer): Buffer => s.subarray(0, s.length - 1)],
    ['only a header', (s: Buffer): Buffer => s.subarray(0, 20)],
    ['a plain JPEG put in its place', (): Buffer => tile],
    ['empty', (): Buffer => Buffer.alloc(0)],
  ])('refuses a tile %s', (_what, damage) => {
    const cipher = createTileCipher(key);
    expect(cipher.open(damage(cipher.seal(tile, at)), at)).toBeNull();
  });

  it('refuses a genuine tile read at another address, or under another key', () => {
    const sealed = createTileCipher(key).seal(tile, at);
    expect(createTileCipher(key).open(sealed, 'a'.repeat(64) + '/12/4_3')).toBeNull();
    expect(createTileCipher(randomBytes(32)).open(sealed, at)).toBeNull();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createTileCipher(randomBytes(16))).toThrow(/32 bytes/);
  });
});
