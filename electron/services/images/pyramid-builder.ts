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
  // EXIF orientations 5–8 turn the picture a quarter turn.
  return (meta.orientation ?? 1) >= 5 ? { width: height, height: width } : { width, height };
}

/**
 * The pyramid's tiles, in memory (libvips writes them into a zip held in a buffer), so nothing
 * is written to disk before it is encrypted. Call inspectImage first.
 */
export async function buildPyramid(bytes: Buffer): Promise<Tile[]> {
  let archive: Buffer;
  try {
    archive = await sharp(bytes, { limitInputPixels: IMAGE_LIMITS.maxPixels, failOn: 'truncated' })
      .rotate()
      .jpeg({ quality: 85 })
      .tile({ size: TILE_SIZE, overlap: TILE_OVERLAP, layout: 'dz' })
      .toBuffer();
  } catch (err) {
    throw new ImageRejected(`the image could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
  return readDeepZoomArchive(archive);
}
