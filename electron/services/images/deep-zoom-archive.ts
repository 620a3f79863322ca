/**
 * Reads the tiles out of the zip that libvips writes when a deep-zoom pyramid goes to a buffer,
 * so tiles pass from the decoder to encryption in memory and never lie on disk in plain form.
 * Only what libvips writes is expected: entries stored or deflated, no zip64.
 */
import { inflateRawSync } from 'node:zlib';
import type { TileAddress } from '../../../shared/domain/tile-address';

/** One tile of a pyramid not yet stored: its place in the pyramid and its JPEG bytes. */
export type Tile = Omit<TileAddress, 'imageId'> & { bytes: Buffer };

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const TILE_NAME = /^[^/]+_files\/(\d{1,2})\/(\d{1,5})_(\d{1,5})\.jpeg$/;

export function readDeepZoomArchive(zip: Buffer): Tile[] {
  const end = findEndOfDirectory(zip);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const tiles: Tile[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== DIRECTORY_ENTRY) throw new Error('the pyramid archive is damaged (directory entry)');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
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

function findEndOfDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 64 KiB, at the very end.
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END_OF_DIRECTORY) return at;
  }
  throw new Error('the pyramid archive is damaged (no directory)');
}
