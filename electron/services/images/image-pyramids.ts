/**
 * Pyramids on demand: fetch the original from the server, build, remember. Concurrent asks for
 * the same image share one build.
 */
import { createHash } from 'node:crypto';
import type { Pyramid } from '../../../shared/domain/referral';
import type { TileAddress } from '../../../shared/domain/tile-address';
import type { PyramidStore } from '../db/pyramid-store';
import type { FhirClient } from '../fhir/fhir-client';
import { buildPyramid, IMAGE_LIMITS, ImageRejected, inspectImage, TILE_OVERLAP, TILE_SIZE } from './pyramid-builder';
import type { TileStore } from './tile-store';

export class UnknownImage extends Error {}

export interface ImagePyramids {
  ensure: (imageId: string) => Promise<Pyramid>;
  readTile: (address: TileAddress) => Promise<Buffer | null>;
}

export function createImagePyramids(store: PyramidStore, tiles: TileStore, fhir: FhirClient): ImagePyramids {
  const building = new Map<string, Promise<Pyramid>>();

  const build = async (imageId: string): Promise<Pyramid> => {
    const source = store.imageSource(imageId);
    if (!source) throw new UnknownImage(`no image ${imageId} in the cache`);
    const refused = store.rejection(source);
    if (refused) throw new ImageRejected(refused);
    const { bytes } = await fhir.readBinary(source.contentUrl, IMAGE_LIMITS.maxBytes);
    const contentHash = createHash('sha256').update(bytes).digest('hex');
    let size: { width: number; height: number };
    try {
      size = await inspectImage(bytes, source.contentType);
      // The same photograph may have arrived before under another id: its tiles are reused.
      if (!tiles.has(contentHash)) await tiles.install(contentHash, await buildPyramid(bytes, size));
    } catch (err) {
      // Remembered, so the consultant sees the reason on the image and the desk does not fetch it again.
      if (err instanceof ImageRejected) store.reject(source, err.message);
      throw err;
    }
    const record = { imageId, contentHash, ...size, tileSize: TILE_SIZE, overlap: TILE_OVERLAP };
    store.save(record);
    return { imageId, width: record.width, height: record.height, tileSize: record.tileSize, overlap: record.overlap };
  };

  return {
    async ensure(imageId) {
      const known = store.get(imageId);
      if (known && tiles.has(known.contentHash)) {
        return { imageId, width: known.width, height: known.height, tileSize: known.tileSize, overlap: known.overlap };
      }
      let pending = building.get(imageId);
      if (!pending) {
        pending = build(imageId).finally(() => building.delete(imageId));
        building.set(imageId, pending);
      }
      return pending;
    },
    async readTile(address) {
      const known = store.get(address.imageId);
      return known ? tiles.readTile(known.contentHash, address.level, address.col, address.row) : null;
    },
  };
}
