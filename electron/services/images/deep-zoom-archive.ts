/**
 * Reads the tiles out of the zip that libvips writes when a deep-zoom pyramid goes to a buffer,
 * so tiles pass from the decoder to encryption in memory and never lie on disk in plain form.
 * Only what libvips writes is expected: entries stored or deflated; zip64 (which it writes past
 * 65,535 entries or 4 GiB) read as well, so a large pyramid is never read in part.
 */
import { inflateRawSync } from 'node:zlib';
import type { TileAddress } from '../../../shared/domain/tile-address';

/** One tile of a pyramid not yet stored: its place in the pyramid and its JPEG bytes. */
export type Tile = Omit<TileAddress, 'imageId'> & { bytes: Buffer };

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EXTRA = 0x0001;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** A 16- or 32-bit field at its largest: the real value is in the zip64 record. */
const IN_ZIP64_16 = 0xffff;
const IN_ZIP64_32 = 0xffffffff;
const TILE_NAME = /^[^/]+_files\/(\d{1,2})\/(\d{1,5})_(\d{1,5})\.jpeg$/;

export function readDeepZoomArchive(zip: Buffer): Tile[] {
  const { count, directoryAt } = directoryOf(zip);
  let at = directoryAt;
  const tiles: Tile[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== DIRECTORY_ENTRY) throw new Error('the pyramid archive is damaged (directory entry)');
    const method = zip.readUInt16LE(at + 10);
    let compressedSize = zip.readUInt32LE(at + 20);
    const uncompressedSize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    let localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    // Sizes and offsets too large for their fields are in the zip64 extra field, in this order.
    const wide = zip64Fields(zip.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    if (uncompressedSize === IN_ZIP64_32) wide.shift();
    if (compressedSize === IN_ZIP64_32) compressedSize = takeWide(wide);
    if (localAt === IN_ZIP64_32) localAt = takeWide(wide);
    at += 46 + nameLength + extraLength + commentLength;

    const match = TILE_NAME.exec(name);
    if (!match) continue; // the .dzi descriptor and libvips' properties: the desk keeps its own
    if (zip.readUInt32LE(localAt) !== LOCAL_HEADER) throw new Error('the pyramid archive is damaged (local header)');
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const stored = zip.subarray(dataAt, dataAt + compressedSize);
    if (method !== 0 && method !== 8) throw new Error(`the pyramid archive uses compression method ${method}`);
    tiles.push({ level: Number(match[1]), col: Number(match[2]), row: Number(match[3]), bytes: method === 0 ? stored : inflateRawSync(stored) });
  }
  return tiles;
}

/** Where the central directory starts and how many entries it has, from the zip64 record when the plain one is full. */
function directoryOf(zip: Buffer): { count: number; directoryAt: number } {
  const end = findEndOfDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  const directoryAt = zip.readUInt32LE(end + 16);
  if (count !== IN_ZIP64_16 && directoryAt !== IN_ZIP64_32) return { count, directoryAt };
  const locator = end - 20;
  if (locator < 0 || zip.readUInt32LE(locator) !== ZIP64_LOCATOR) throw new Error('the pyramid archive is damaged (no zip64 locator)');
  const record = safeNumber(zip.readBigUInt64LE(locator + 8));
  if (zip.readUInt32LE(record) !== ZIP64_END_OF_DIRECTORY) throw new Error('the pyramid archive is damaged (zip64 directory end)');
  return { count: safeNumber(zip.readBigUInt64LE(record + 32)), directoryAt: safeNumber(zip.readBigUInt64LE(record + 48)) };
}

/** The 64-bit values of an entry's zip64 extra field, if it has one. */
function zip64Fields(extra: Buffer): number[] {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA) {
      const values: number[] = [];
      for (let v = at + 4; v + 8 <= at + 4 + size; v += 8) values.push(safeNumber(extra.readBigUInt64LE(v)));
      return values;
    }
    at += 4 + size;
  }
  return [];
}

function takeWide(values: number[]): number {
  const value = values.shift();
  if (value === undefined) throw new Error('the pyramid archive is damaged (zip64 field missing)');
  return value;
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('the pyramid archive is damaged (an offset too large)');
  return Number(value);
}

function findEndOfDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 64 KiB, at the very end.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  throw new Error('the pyramid archive is damaged (no directory)');
}
