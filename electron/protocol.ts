/**
 * The `desk-tile:` scheme: deep-zoom tiles by image id, level, column and row. What each request
 * is answered is decided in tile-answer.ts; unknown images and tiles answer 404.
 */
import { protocol } from 'electron';
import type { TileAddress } from '../shared/domain/tile-address';
import { answerTileRequest, TILE_SCHEME } from './tile-answer';

export { TILE_BASE_URL, TILE_SCHEME } from './tile-answer';

/** Must run before the app is ready. */
export function declareTileScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: TILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

export function serveTiles(readTile: (address: TileAddress) => Promise<Buffer | null>): void {
  protocol.handle(TILE_SCHEME, (request) => answerTileRequest(request.url, readTile));
}
