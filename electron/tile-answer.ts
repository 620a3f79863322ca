/**
 * The answer to one `desk-tile:` request, apart from Electron so it is tested directly: the URL is
 * parsed into an image id, level, column and row and nothing else; anything that is not exactly
 * such a tile of an image the database knows answers 404.
 */
import { parseTilePath, type TileAddress } from '../shared/domain/tile-address';

export const TILE_SCHEME = 'desk-tile';
export const TILE_HOST = 'tiles';
export const TILE_BASE_URL = `${TILE_SCHEME}://${TILE_HOST}/`;

export async function answerTileRequest(requestUrl: string, readTile: (address: TileAddress) => Promise<Buffer | null>): Promise<Response> {
  let address: TileAddress | null = null;
  try {
    const url = new URL(requestUrl);
    address = url.protocol === `${TILE_SCHEME}:` && url.host === TILE_HOST && !url.search ? parseTilePath(url.pathname) : null;
  } catch {
    address = null;
  }
  const tile = address && (await readTile(address));
  if (!tile) return new Response('not found', { status: 404 });
  return new Response(new Uint8Array(tile), {
    headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=31536000, immutable' },
  });
}
