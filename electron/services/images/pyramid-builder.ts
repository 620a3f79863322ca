/**
 * Turns an original photograph into a deep-zoom (DZI) pyramid with sharp (libvips): limits are
 * checked before any pixel is decoded, EXIF orientation is applied, metadata is not copied.
 */
import { availableParallelism } from 'node:os';
import sharp, { type Metadata } from 'sharp';
import { readDeepZoomArchive, type Tile } from './deep-zoom-archive';

// On glibc Linux sharp defaults to one libvips thread to limit heap fragmentation. The desk
// builds one pyramid at a time while the consultant waits for it, so it uses the cores.
sharp.concurrency(Math.min(4, availableParallelism()));

export const TILE_SIZE = 254;
export const TILE_OVERLAP = 1;

export const IMAGE_LIMITS = {
  /** Originals are 3–24 megapixels; a JPEG that large is far below this. */
  maxBytes: 64 * 1024 * 1024,
  maxPixels: 64_000_000,
  /**
   * No camera makes a photograph longer than this on a side, or thinner than this: a 9,000,000×7
   * image (under the pixel limit) took a minute and 1.4 GB to tile into some 70,000 tiles.
   */
  maxSide: 20_000,
  maxAspect: 10,
} as const;

export class ImageRejected extends Error {}

const ACCEPTED_FORMATS = new Set(['jpeg', 'png']);

const MEDIA_TYPES: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png' };

/**
 * Checks an original from its header alone and returns its upright size; nothing is decoded.
 * `declaredType` is what the server says the bytes are; they must be that.
 */
export async function inspectImage(bytes: Buffer, declaredType: string): Promise<{ width: number; height: number }> {
  if (bytes.length > IMAGE_LIMITS.maxBytes) throw new ImageRejected(`the image is ${bytes.length} bytes, over the limit`);
  let meta: Metadata;
  try {
    // Only the header is read here, so libvips' own pixel limit is lifted to let the check
    // below say how large the image claims to be.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new ImageRejected('the file is not an image the desk can read');
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format)) throw new ImageRejected(`images must be JPEG or PNG, not ${meta.format ?? 'unknown'}`);
  const declared = declaredType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (declared !== MEDIA_TYPES[meta.format]) {
    throw new ImageRejected(`the server calls this ${declared || 'untyped'}, but the bytes are ${MEDIA_TYPES[meta.format]}`);
  }
  const { width = 0, height = 0 } = meta;
  if (width * height > IMAGE_LIMITS.maxPixels) throw new ImageRejected(`the image is ${width}×${height} pixels, over the limit`);
  if (Math.max(width, height) > IMAGE_LIMITS.maxSide || Math.max(width, height) > IMAGE_LIMITS.maxAspect * Math.max(1, Math.min(width, height))) {
    throw new ImageRejected(`the image is ${width}×${height} pixels: no photograph is that long and thin (at most ${IMAGE_LIMITS.maxSide} pixels a side, ${IMAGE_LIMITS.maxAspect} times as long as wide)`);
  }
  return orientedSize(meta);
}

/**
 * The pyramid's tiles, in memory (libvips writes them into a zip held in a buffer), so nothing
 * is written to disk before it is encrypted. Call inspectImage first: `size` is what it found.
 */
export async function buildPyramid(bytes: Buffer, size: { width: number; height: number }): Promise<Tile[]> {
  const tile = (failOn: 'warning' | 'truncated'): Promise<{ data: Buffer }> =>
    sharp(bytes, { limitInputPixels: IMAGE_LIMITS.maxPixels, failOn })
      .rotate()
      .jpeg({ quality: 85 })
      .tile({ size: TILE_SIZE, overlap: TILE_OVERLAP, layout: 'dz' })
      .toBuffer({ resolveWithObject: true });
  let built: { data: Buffer };
  try {
    // A decoder warning of corrupt or missing data refuses the image: it would decode as flat grey.
    built = await tile('warning');
  } catch (err) {
    // Others are quirks of how some cameras write a sound file (extraneous bytes before a marker,
    // Samsung's "invalid SOS parameters"): decoded again, failing only on a truncated file.
    if (!(err instanceof Error) || isCorruptData(err.message)) throw rejected(err);
    try {
      built = await tile('truncated');
    } catch (again) {
      throw rejected(again);
    }
  }
  const tiles = readDeepZoomArchive(built.data);
  const missing = missingTiles(tiles, size.width, size.height);
  if (missing > 0) throw new ImageRejected(`the pyramid came out incomplete (${missing} tiles missing): the image is not shown rather than shown in part`);
  return tiles;
}

/** libjpeg's and libpng's words for data that is damaged or missing, rather than merely unusual. */
const CORRUPT_DATA = /premature end|corrupt jpeg data: (?!\d+ extraneous)|bad huffman|data segment|truncat|crc error|incorrect data check|invalid (?:distance|code|block)/i;

/** Whether a decoder's warning says the data is damaged (refused) rather than written unusually (decoded again, leniently). */
export const isCorruptData = (message: string): boolean => CORRUPT_DATA.test(message);

function rejected(err: unknown): ImageRejected {
  return new ImageRejected(`the image could not be decoded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
}

/** EXIF orientations 5–8 turn the picture a quarter turn. */
function orientedSize(meta: Metadata): { width: number; height: number } {
  const { width = 0, height = 0 } = meta;
  return (meta.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/**
 * How many tiles a deep-zoom pyramid of this size lacks: level L is the image halved until it is
 * 1×1 at level 0, each level cut into TILE_SIZE squares. A pyramid is installed only whole.
 */
export function missingTiles(tiles: readonly Pick<Tile, 'level' | 'col' | 'row'>[], width: number, height: number): number {
  const top = Math.ceil(Math.log2(Math.max(width, height, 1)));
  const present = new Set(tiles.map((t) => `${t.level}/${t.col}/${t.row}`));
  let missing = 0;
  for (let level = 0; level <= top; level++) {
    const scale = 2 ** (top - level);
    const columns = Math.ceil(Math.max(1, Math.ceil(width / scale)) / TILE_SIZE);
    const rows = Math.ceil(Math.max(1, Math.ceil(height / scale)) / TILE_SIZE);
    for (let col = 0; col < columns; col++) for (let row = 0; row < rows; row++) if (!present.has(`${level}/${col}/${row}`)) missing += 1;
  }
  return missing;
}
