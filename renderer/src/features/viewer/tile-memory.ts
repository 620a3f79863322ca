/**
 * Decoded tiles held in the renderer, so that the first picture of the next case needs no
 * request: the neighbouring cases' low-resolution tiles are warmed into it while a case is
 * open, and the viewer takes a tile from here before asking the tile server. Bounded (the least
 * recently used go first), so a long session does not pile images up; emptied when the desk
 * locks, so no patient's image is kept in memory behind the lock screen.
 */
import { TILE_WARMED_EVENT } from '../../../../shared/domain/tile-address';

const MAX_TILES = 96;

const tiles = new Map<string, HTMLImageElement>();
/** Being fetched now: asked for again, they would be fetched twice. */
const fetching = new Set<string>();

function remember(url: string, image: HTMLImageElement): void {
  tiles.delete(url);
  tiles.set(url, image);
  for (const oldest of tiles.keys()) {
    if (tiles.size <= MAX_TILES) break;
    tiles.delete(oldest);
  }
}

export function recallTile(url: string): HTMLImageElement | undefined {
  const image = tiles.get(url);
  if (image) remember(url, image); // used now: the last to go
  return image;
}

/** Fetches and decodes each tile not already held; one that fails is simply not held. */
export function warmTiles(urls: readonly string[]): void {
  for (const url of urls) {
    if (tiles.has(url) || fetching.has(url)) continue;
    fetching.add(url);
    const image = new Image();
    image.src = url;
    image.decode().then(
      () => {
        // Emptied meanwhile (the desk locked): what was on its way is not kept either.
        if (!fetching.delete(url)) return;
        remember(url, image);
        window.dispatchEvent(new CustomEvent(TILE_WARMED_EVENT, { detail: url }));
      },
      () => fetching.delete(url), // the viewer will ask for it the usual way, and say so if it fails
    );
  }
}

export function forgetTiles(): void {
  tiles.clear();
  fetching.clear();
}
