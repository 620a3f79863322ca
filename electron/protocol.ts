/**
 * The `desk-tile:` scheme: deep-zoom tiles by image id, level, column and row. The URL is parsed
 * into those four values and nothing else; unknown images and tiles answer 404.
 */
import { protocol } from 'electron';
import { parseTilePath, type TileAddress } from '../shared/domain/tile-address';

export const TILE_SCHEME = 'desk-tile';
export const TILE_BASE_URL = `${TILE_SCHEME}://tiles/`;

/** Must run before the app is ready. */
export function declareTileScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: TILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveTiles(readTile: (address: TileAddress) => Promise<Buffer | null>): void {
  protocol.handle(TILE_SCHEME, async (request) => {
    const url = new URL(request.url);
    const address = url.host === 'tiles' ? parseTilePath(url.pathname) : null;
    const tile = address && (await readTile(address));
    if (!tile) return new Response('not found', { status: 404 });
    return new Response(new Uint8Array(tile), {
      headers: { 'content-type': 'image/jpeg', 'cache-control': 'private, max-age=31536000, immutable' },
    });
  });
}
