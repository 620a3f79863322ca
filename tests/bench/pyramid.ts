/**
 * Pyramid build: the desk's deep-zoom pyramid of one 12-megapixel photograph (sharp, tiles
 * encrypted and written to the tile store), against `vips dzsave` from Debian's libvips-tools on
 * the same file with the same tile size, overlap and JPEG quality, written plain. Target: at most
 * 1.3 times vips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLesionImage } from '../../electron/hub/generator/lesion-image';
import { buildPyramid, inspectImage, TILE_OVERLAP, TILE_SIZE } from '../../electron/services/images/pyramid-builder';
import { createTileCipher } from '../../electron/services/images/tile-cipher';
import { createTileStore } from '../../electron/services/images/tile-store';
import { tempDir } from '../support/temp-dir';
import { compare, report } from './measure';

export async function benchPyramid(): Promise<boolean> {
  if (spawnSync('vips', ['--version']).status !== 0) {
    throw new Error("The pyramid benchmark needs `vips` (Debian's libvips-tools): apt-get install libvips-tools");
  }
  const dir = tempDir('desk-bench-pyramid');
  try {
    const original = await renderLesionImage({ seed: 5, view: 'dermoscopic', width: 4000, height: 3000, skin: [206, 160, 126], pigment: [82, 48, 31] });
    const file = join(dir.path, 'original.jpg');
    writeFileSync(file, original);
    let run = 0;
    const cipher = createTileCipher(randomBytes(32));
    const size = await inspectImage(original, 'image/jpeg');
    const desk = async (): Promise<void> => {
      const store = createTileStore(join(dir.path, `desk-${run++}`), cipher);
      await store.install('0'.repeat(64), await buildPyramid(original, size));
    };
    const vips = async (): Promise<void> => {
      const out = join(dir.path, `vips-${run++}`);
      execFileSync('vips', ['dzsave', file, out, '--tile-size', String(TILE_SIZE), '--overlap', String(TILE_OVERLAP), '--suffix', '.jpeg[Q=85]']);
    };
    const { value, baseline } = await compare(5, desk, vips);
    return report('pyramid', value, baseline, 1.3).met;
  } finally {
    dir.remove();
  }
}
