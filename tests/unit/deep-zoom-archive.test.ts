import { describe, expect, it } from 'vitest';
import { readDeepZoomArchive } from '../../electron/services/images/deep-zoom-archive';
import { isCorruptData, missingTiles, TILE_SIZE } from '../../electron/services/images/pyramid-builder';

/** A zip of stored entries as a writer past 65,535 entries writes it: zip64 records, and (when asked) offsets in zip64 extra fields. */
function zip64Archive(names: readonly string[], wideOffsets: boolean): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  names.forEach((name, index) => {
    const data = Buffer.from([index % 256]);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const extra = wideOffsets ? Buffer.alloc(12) : Buffer.alloc(0);
    if (wideOffsets) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(offset), 4);
    }
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(nameBytes.length, 28);
    entry.writeUInt16LE(extra.length, 30);
    entry.writeUInt32LE(wideOffsets ? 0xffffffff : offset, 42);
    central.push(entry, nameBytes, extra);
    offset += 30 + nameBytes.length + data.length;
  });
  const directory = Buffer.concat(central);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(BigInt(names.length), 24);
  record.writeBigUInt64LE(BigInt(names.length), 32);
  record.writeBigUInt64LE(BigInt(directory.length), 40);
  record.writeBigUInt64LE(BigInt(offset), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(offset + directory.length), 8);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([...locals, directory, record, locator, end]);
}

describe('the pyramid archive', () => {
  it.each([false, true])('reads every one of 70,000 tiles from a zip64 archive (offsets in extra fields: %s)', (wide) => {
    const names = Array.from({ length: 70_000 }, (_, i) => `x_files/16/${i % 1000}_${Math.floor(i / 1000)}.jpeg`);
    const tiles = readDeepZoomArchive(zip64Archive(names, wide));
    expect(tiles).toHaveLength(70_000);
    expect(tiles[69_999]).toMatchObject({ level: 16, col: 999, row: 69 });
    expect([...(tiles[69_999]?.bytes ?? [])]).toEqual([69_999 % 256]);
  });

  it('refuses a zip64 archive whose records are damaged, rather than reading part of it', () => {
    const zip = zip64Archive(['x_files/0/0_0.jpeg'], false);
    zip.writeUInt32LE(0, zip.length - 22 - 20); // the locator's signature
    expect(() => readDeepZoomArchive(zip)).toThrow(/no zip64 locator/);
  });
});

describe('a pyramid is whole', () => {
  /** Every tile a deep-zoom pyramid of this size has. */
  const everyTile = (width: number, height: number): { level: number; col: number; row: number }[] => {
    const top = Math.ceil(Math.log2(Math.max(width, height)));
    const tiles: { level: number; col: number; row: number }[] = [];
    for (let level = 0; level <= top; level++) {
      const w = Math.ceil(width / 2 ** (top - level));
      const h = Math.ceil(height / 2 ** (top - level));
      for (let col = 0; col < Math.ceil(w / TILE_SIZE); col++) for (let row = 0; row < Math.ceil(h / TILE_SIZE); row++) tiles.push({ level, col, row });
    }
    return tiles;
  };

  it.each([[300, 200], [4000, 3000], [1, 1], [255, 1]])('%i×%i: nothing missing when every tile is there, and each one missed counted', (width, height) => {
    const tiles = everyTile(width, height);
    expect(missingTiles(tiles, width, height)).toBe(0);
    expect(missingTiles(tiles.slice(1), width, height)).toBe(1);
    expect(missingTiles(tiles.filter((t) => t.level !== Math.max(...tiles.map((x) => x.level))), width, height)).toBeGreaterThan(0);
  });
});

describe("a decoder's warning", () => {
  it.each([
    ['VipsJpeg: Corrupt JPEG data: premature end of data segment', true],
    ['VipsJpeg: premature end of JPEG image', true],
    ['VipsJpeg: Corrupt JPEG data: bad Huffman code', true],
    ['libpng error: IDAT: CRC error', true],
    ['VipsJpeg: Corrupt JPEG data: 2 extraneous bytes before marker 0xd9', false],
    ['VipsJpeg: Invalid SOS parameters for sequential JPEG', false],
  ])('%s: damaged data %s', (message, damaged) => {
    expect(isCorruptData(message)).toBe(damaged);
  });
});
