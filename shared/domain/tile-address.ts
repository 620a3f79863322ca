/**
 * Where a deep-zoom tile lives: `<base>/<imageId>/<level>/<col>_<row>.jpg`. The renderer builds
 * these addresses; the tile server parses them back. Only an image id and three small integers
 * ever cross, never a file path.
 */
import { imageIdSchema } from './referral';

export interface TileAddress {
  imageId: string;
  level: number;
  col: number;
  row: number;
}

/** Deep-zoom levels stop at 2^30 pixels a side; columns and rows stay far below a million. */
const MAX_LEVEL = 30;
const MAX_INDEX = 1_000_000;

export function tileUrl(base: string, address: TileAddress): string {
  const root = base.endsWith('/') ? base : `${base}/`;
  return `${root}${encodeURIComponent(address.imageId)}/${address.level}/${address.col}_${address.row}.jpg`;
}

const TILE_PATH = /^\/?([^/]+)\/(\d{1,2})\/(\d{1,7})_(\d{1,7})\.jpg$/;

/** The tile a path asks for (the part after the base), or null for anything else. */
export function parseTilePath(path: string): TileAddress | null {
  const match = TILE_PATH.exec(path);
  if (!match) return null;
  const [, rawId, rawLevel, rawCol, rawRow] = match as unknown as [string, string, string, string, string];
  const id = imageIdSchema.safeParse(rawId);
  const level = Number(rawLevel);
  const col = Number(rawCol);
  const row = Number(rawRow);
  if (!id.success || level > MAX_LEVEL || col >= MAX_INDEX || row >= MAX_INDEX) return null;
  return { imageId: id.data, level, col, row };
}

/**
 * The deep-zoom level at which the whole image fits in one tile (0_0): a thumbnail that costs
 * one small JPEG. Level L of a pyramid of n levels is the image halved n-1-L times, rounded up.
 */
export function thumbnailLevel(pyramid: { width: number; height: number; tileSize: number }): number {
  const longest = Math.max(pyramid.width, pyramid.height);
  const top = Math.ceil(Math.log2(longest));
  const halvings = Math.max(0, Math.ceil(Math.log2(longest / pyramid.tileSize)));
  return Math.max(0, top - halvings);
}

/**
 * The window event by which the renderer says it holds a tile decoded ahead (its URL in
 * `detail`), ready for the next case's first picture: what a test waits for before moving on.
 */
export const TILE_WARMED_EVENT = 'desk:tile-warmed';
