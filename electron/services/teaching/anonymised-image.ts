/**
 * A photograph made fit to leave the desk for teaching: upright (EXIF orientation applied to the
 * pixels), re-encoded as a plain JPEG that carries no metadata at all: no EXIF (capture date,
 * device, GPS), no XMP, no IPTC, no ICC profile, no comments. Whatever the original carried,
 * only pixels come through.
 */
import sharp, { type OutputInfo } from 'sharp';
import { IMAGE_LIMITS, ImageRejected } from '../images/pyramid-builder';

export interface AnonymisedImage {
  bytes: Buffer;
  width: number;
  height: number;
}

/** High enough that a teaching image shows dermoscopic structures as the consultant saw them. */
const TEACHING_JPEG_QUALITY = 92;

/** Call inspectImage on the original first: it checks type and limits before any decoding. */
export async function anonymisedJpeg(original: Buffer): Promise<AnonymisedImage> {
  let encoded: { data: Buffer; info: OutputInfo };
  try {
    // sharp copies no metadata unless asked to (keepMetadata/withMetadata), and converts to sRGB.
    encoded = await sharp(original, { limitInputPixels: IMAGE_LIMITS.maxPixels, failOn: 'truncated' })
      .rotate()
      .jpeg({ quality: TEACHING_JPEG_QUALITY, chromaSubsampling: '4:4:4' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new ImageRejected(`the image could not be decoded: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Checked on the output rather than trusted: a library change that began copying metadata
  // would otherwise send it out with every teaching image.
  const meta = await sharp(encoded.data).metadata();
  const left: string[] = (['exif', 'xmp', 'iptc', 'icc'] as const).filter((field) => meta[field] !== undefined);
  if (meta.comments?.length) left.push('comments');
  if (left.length > 0) throw new ImageRejected(`the re-encoded image still carries ${left.join(', ')}; nothing was exported`);
  return { bytes: encoded.data, width: encoded.info.width, height: encoded.info.height };
}
