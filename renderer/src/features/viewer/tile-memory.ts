/**
 * Decoded tiles held in the renderer, so that the first picture of the next case needs no
 * request: the neighbouring cases' low-resolution tiles are warmed into it while a case is
 * open, and the viewer takes a tile from here before asking the tile server. Bounded (oldest
 * out first), so a long session does not pile images up.
 */
const MAX_TILES = 96;

const tiles = new Map<string, HTMLImageElement>();

export function recallTile(url: string): HTMLImageElement | undefined {
  return tiles.get(url);
}

function remember(url: string, image: HTMLImageElement): void {
  tiles.delete(url);
  tiles.set(url, image);
  for (const oldest of tiles.keys()) {
    if (tiles.size <= MAX_TILES) break;
    tiles.delete(oldest);
  }
}

/** Fetches and decodes each tile not already held; one that fails is simply not held. */
export function warmTiles(urls: readonly string[]): void {
  for (const url of urls) {
    if (tiles.has(url)) continue;
    const image = new Image();
    image.src = url;
    image.decode().then(
      () => remember(url, image),
      () => undefined, // the viewer will ask for it the usual way, and say so if it fails
    );
  }
}
