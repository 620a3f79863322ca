import { describe, expect, it } from 'vitest';
import { parseTilePath, tileUrl } from '../../shared/domain/tile-address';

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
