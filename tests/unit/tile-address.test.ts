import { describe, expect, it } from 'vitest';
import { thumbnailLevel, parseTilePath, tileUrl } from '../../shared/domain/tile-address';

describe('tile addresses', () => {
  it('round-trips an address through a URL path', () => {
    const url = tileUrl('desk-tile://tiles/', { imageId: 'media-0001-2', level: 11, col: 3, row: 7 });
    expect(url).toBe('desk-tile://tiles/media-0001-2/11/3_7.jpg');
    expect(parseTilePath(new URL(url).pathname)).toEqual({ imageId: 'media-0001-2', level: 11, col: 3, row: 7 });
  });

  it.each([
    '../etc/passwd',
    '/../../secret/1/0_0.jpg',
    '/media-1/../../x/1/0_0.jpg',
    '/%2e%2e/1/0_0.jpg',
    '/..%2fsecret/1/0_0.jpg',
    '/C:\\Windows\\win.ini/1/0_0.jpg',
    '/\\\\server\\share/1/0_0.jpg',
    `/${'a'.repeat(65)}/1/0_0.jpg`,
    '/media-1/31/0_0.jpg',
    '/media-1/1/0_0.png',
    '/media-1/1/-1_0.jpg',
    '/media-1/1/0_0.jpg/extra',
    '/media-1/1/99999999_0.jpg',
    '',
  ])('refuses %s', (path) => {
    expect(parseTilePath(path)).toBeNull();
  });
});

describe('thumbnail level: the whole image in one tile', () => {
  it.each([
    // width, height, tile, level  (levels: top = ceil(log2(longest)))
    [2592, 1944, 254, 8], // top 12; 2592/16 = 162 fits, 2592/8 = 324 does not
    [4000, 3000, 254, 8], // top 12; 4000/16 = 250
    [254, 100, 254, 8], // already one tile: the top level
    [200, 300, 254, 8], // top 9; 300 > 254, 150 fits
    [1, 1, 254, 0],
    [12000, 9000, 256, 8], // top 14; 12000/32 = 375 > 256, /64 = 187.5
  ])('%i×%i in %i-pixel tiles is level %i', (width, height, tileSize, level) => {
    expect(thumbnailLevel({ width, height, tileSize })).toBe(level);
    const top = Math.ceil(Math.log2(Math.max(width, height)));
    expect(Math.ceil(Math.max(width, height) / 2 ** (top - level))).toBeLessThanOrEqual(tileSize);
    // ...and the sharpest level that does: one level up would not fit (unless this is the top).
    if (level < top) expect(Math.ceil(Math.max(width, height) / 2 ** (top - level - 1))).toBeGreaterThan(tileSize);
  });
});
