/**
 * Deep-zoom pyramids on disk, one folder per original image named by the SHA-256 of its bytes,
 * so identical images are stored once. Paths are built only from a checked hash and integers.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { readFile, realpath, rename, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';

const HASH = /^[0-9a-f]{64}$/;

export interface TileStore {
  has(contentHash: string): boolean;
  /** Builds into a scratch folder and moves it into place, so a half-built pyramid is never served. */
  install(contentHash: string, build: (folder: string) => Promise<void>): Promise<void>;
  readTile(contentHash: string, level: number, col: number, row: number): Promise<Buffer | null>;
}

/** What a built pyramid folder holds: sharp's deep-zoom layout. */
export const PYRAMID_NAME = 'image';

export function createTileStore(root: string): TileStore {
  mkdirSync(root, { recursive: true });
  const realRoot = realpathSync(root);
  const folder = (hash: string): string => {
    if (!HASH.test(hash)) throw new Error(`not a content hash: ${hash.slice(0, 80)}`);
    return join(root, hash);
  };
  return {
    has: (hash) => existsSync(join(folder(hash), `${PYRAMID_NAME}.dzi`)),
    async install(hash, build) {
      const target = folder(hash);
      const scratch = join(root, `.building-${randomUUID()}`);
      mkdirSync(scratch);
      try {
        await build(scratch);
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
        const file = await realpath(join(folder(hash), `${PYRAMID_NAME}_files`, String(level), `${col}_${row}.jpeg`));
        if (!file.startsWith(`${realRoot}${sep}`)) return null;
        return await readFile(file);
      } catch {
        return null;
      }
    },
  };
}
