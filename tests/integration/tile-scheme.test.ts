/**
 * The desk-tile: scheme as Electron's handler answers it (the same function, without Electron):
 * real tiles of images the cache knows are served; a corpus of traversal and confusion attempts,
 * and a symlink planted in the tile store, all answer 404.
 */
import { readdirSync, renameSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { openDesk, type Desk } from '../../electron/services/desk';
import { answerTileRequest, TILE_BASE_URL } from '../../electron/tile-answer';
import type { Pyramid } from '../../shared/domain/referral';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;
let pyramid: Pyramid;
let top: number;

beforeAll(async () => {
  hub = await startDemoHub({ cases: 2, seed: 9, now: new Date('2026-11-25T12:00:00Z') });
  dir = tempDir('desk-tile-scheme');
  desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: TILE_BASE_URL, prefetchCases: 0, fhir: { timeoutMs: UNHURRIED_MS } });
  await desk.sync();
  const { images } = await desk.handlers['case.open']({ referralId: 'ref-0001' });
  pyramid = await desk.handlers['image.pyramid']({ imageId: images[0]!.imageId });
  top = Math.ceil(Math.log2(Math.max(pyramid.width, pyramid.height)));
});

afterAll(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

const answer = (url: string): Promise<Response> => answerTileRequest(url, (address) => desk.readTile(address));

describe('the desk-tile: scheme', () => {
  it('serves a real tile of a known image as a JPEG', async () => {
    const response = await answer(`${TILE_BASE_URL}${pyramid.imageId}/${top}/0_0.jpg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it.each([
    'desk-tile://tiles/../../../../etc/passwd',
    'desk-tile://tiles/%2e%2e/%2e%2e/etc/passwd',
    'desk-tile://tiles/..%2f..%2fetc%2fpasswd/0/0_0.jpg',
    'desk-tile://tiles/%2e%2e%2fdesk.sqlite/0/0_0.jpg',
    'desk-tile://tiles//etc/passwd/0/0_0.jpg',
    'desk-tile://tiles/C:%5CWindows%5Cwin.ini/0/0_0.jpg',
    'desk-tile://tiles/%5C%5Cserver%5Cshare/0/0_0.jpg',
    `desk-tile://tiles/${'a'.repeat(65)}/0/0_0.jpg`,
    `desk-tile://tiles/${'a'.repeat(5000)}/0/0_0.jpg`,
    'desk-tile://tiles/media-unknown/0/0_0.jpg',
    'desk-tile://elsewhere/IMAGE/0/0_0.jpg',
    'desk-tile://tiles/IMAGE/99/0_0.jpg',
    'desk-tile://tiles/IMAGE/0/0_0.jpg?../../desk.sqlite',
    'desk-tile://tiles/IMAGE/0/0_0.jpeg',
    'desk-tile://tiles/IMAGE/0/-1_0.jpg',
    'file:///etc/passwd',
    'not a url',
  ])('answers 404 to %s', async (url) => {
    const response = await answer(url.replace('IMAGE', pyramid.imageId));
    expect(response.status).toBe(404);
  });

  it('answers 404 for a tile that is a symlink leading out of the store', async () => {
    // The planted target is a genuine sealed tile, so only the containment check can refuse it.
    const store = join(dir.path, 'tiles');
    const hash = readdirSync(store).find((name) => /^[0-9a-f]{64}$/.test(name))!;
    const tile = join(store, hash, String(top), '0_0.tile');
    const url = `${TILE_BASE_URL}${pyramid.imageId}/${top}/0_0.jpg`;
    expect((await answer(url)).status).toBe(200);
    const outside = join(dir.path, 'outside.tile');
    renameSync(tile, outside);
    symlinkSync(outside, tile);
    expect((await answer(url)).status).toBe(404);
  });
});
