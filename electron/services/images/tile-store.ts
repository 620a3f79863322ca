/**
 * Deep-zoom pyramids on disk, one folder per original image named by the SHA-256 of its bytes,
 * so identical images are stored once. Every tile is sealed (tile-cipher.ts); paths are built
 * only from a checked hash and integers.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, realpathSync } from 'node:fs';
import { mkdir, readFile, realpath, rename, rm, writeFile } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { Tile } from './deep-zoom-archive';
import type { TileCipher } from './tile-cipher';

const HASH = /^[0-9a-f]{64}$/;
/** Written last: a folder without it was never finished. */
const COMPLETE = 'complete';
/**
 * Writes in flight at once. They share libuv's four threads with the tile reads of the image on
 * screen; many more would queue those reads behind a background build (16 cost the pyramid
 * benchmark nothing measurable against 64).
 */
const WRITES_AT_ONCE = 16;

export interface TileStore {
  has(contentHash: string): boolean;
  /** Seals and writes into a scratch folder, then moves it into place: a half-built pyramid is never served. */
  install(contentHash: string, tiles: readonly Tile[]): Promise<void>;
  readTile(contentHash: string, level: number, col: number, row: number): Promise<Buffer | null>;
  /** Removes a pyramid's folder, tiles and all. */
  remove(contentHash: string): Promise<void>;
  /** The pyramids on disk, by content hash. */
  stored(): string[];
}

export function createTileStore(root: string, cipher: TileCipher): TileStore {
  mkdirSync(root, { recursive: true });
  const realRoot = realpathSync(root);
  const folder = (hash: string): string => {
    if (!HASH.test(hash)) throw new Error(`not a content hash: ${hash.slice(0, 80)}`);
    return join(root, hash);
  };
  // The address binds a sealed tile to its place: one copied over another fails its check.
  const address = (hash: string, level: number, col: number, row: number): string => `${hash}/${level}/${col}_${row}`;
  const tilePath = (base: string, level: number, col: number, row: number): string => join(base, String(level), `${col}_${row}.tile`);

  return {
    has: (hash) => existsSync(join(folder(hash), COMPLETE)),
    remove: (hash) => rm(folder(hash), { recursive: true, force: true }),
    stored: () => readdirSync(root).filter((name) => HASH.test(name)),
    async install(hash, tiles) {
      const target = folder(hash);
      const scratch = join(root, `.building-${randomUUID()}`);
      try {
        for (const level of new Set(tiles.map((tile) => tile.level))) await mkdir(join(scratch, String(level)), { recursive: true });
        for (let start = 0; start < tiles.length; start += WRITES_AT_ONCE) {
          await Promise.all(
            tiles.slice(start, start + WRITES_AT_ONCE).map(({ level, col, row, bytes }) =>
              writeFile(tilePath(scratch, level, col, row), cipher.seal(bytes, address(hash, level, col, row))),
            ),
          );
        }
        await writeFile(join(scratch, COMPLETE), '');
        await rm(target, { recursive: true, force: true });
        await rename(scratch, target);
      } finally {
        await rm(scratch, { recursive: true, force: true });
      }
    },
    async readTile(hash, level, col, row) {
      if (![level, col, row].every((n) => Number.isSafeInteger(n) && n >= 0)) return null;
      try {
        // A tile is served only if it really lies in the store: a symlink planted to lead
        // elsewhere answers as missing.
        const file = await realpath(tilePath(folder(hash), level, col, row));
        if (!file.startsWith(`${realRoot}${sep}`)) return null;
        return cipher.open(await readFile(file), address(hash, level, col, row));
      } catch {
        return null;
      }
    },
  };
}
