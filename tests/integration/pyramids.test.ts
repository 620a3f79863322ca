import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { openDesk, type Desk } from '../../electron/services/desk';
import { buildPyramid, ImageRejected, inspectImage } from '../../electron/services/images/pyramid-builder';
import { thumbnailLevel } from '../../shared/domain/tile-address';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { openCacheFile } from '../support/cache-file';

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;

beforeAll(async () => {
  hub = await startDemoHub({ cases: 3, seed: 5, now: new Date('2026-11-25T12:00:00Z') });
  dir = tempDir('desk-pyramids');
  desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0, fhir: { timeoutMs: UNHURRIED_MS } });
  await desk.sync();
});

afterAll(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

const tileFolders = (): string[] => readdirSync(join(dir.path, 'tiles')).filter((name) => !name.startsWith('.'));

describe('deep-zoom pyramids on demand', () => {
  it('builds a pyramid from the server original and serves its tiles by image id', async () => {
    const { images } = await desk.handlers['case.open']({ referralId: 'ref-0001' });
    const image = images[0]!;
    const pyramid = await desk.handlers['image.pyramid']({ imageId: image.imageId });
    expect(pyramid).toMatchObject({ imageId: image.imageId, width: image.width, height: image.height, tileSize: 254, overlap: 1 });

    const top = Math.ceil(Math.log2(Math.max(pyramid.width, pyramid.height)));
    const tile = await desk.readTile({ imageId: image.imageId, level: top, col: 0, row: 0 });
    expect(tile).not.toBeNull();
    const meta = await sharp(tile!).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBe(255); // 254 plus one pixel of overlap on the inner edge
    expect(meta.exif).toBeUndefined();

    expect(await desk.readTile({ imageId: image.imageId, level: top + 1, col: 0, row: 0 })).toBeNull();
    expect(await desk.readTile({ imageId: image.imageId, level: top, col: 999, row: 0 })).toBeNull();
    expect(await desk.readTile({ imageId: 'media-unknown', level: 0, col: 0, row: 0 })).toBeNull();
  });

  it('builds once when asked many times at once', async () => {
    const { images } = await desk.handlers['case.open']({ referralId: 'ref-0002' });
    const before = tileFolders().length;
    const results = await Promise.all([1, 2, 3, 4].map(() => desk.handlers['image.pyramid']({ imageId: images[1]!.imageId })));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(tileFolders().length).toBe(before + 1);
  });

  it('stores an identical photograph once, whatever its id', async () => {
    // A second Media in the cache pointing at the same Binary content.
    const db = openCacheFile(dir.path);
    db.prepare(`INSERT INTO image (id, version_id, last_updated, resource_type, referral_id, view, body_site, captured_at, width, height, content_url, content_type)
      SELECT 'media-twin', version_id, last_updated, resource_type, referral_id, view, body_site, captured_at, width, height,
      content_url, content_type FROM image WHERE id = 'media-0003-1'`).run();
    db.close();
    await desk.handlers['image.pyramid']({ imageId: 'media-0003-1' });
    const before = tileFolders().length;
    const twin = await desk.handlers['image.pyramid']({ imageId: 'media-twin' });
    expect(tileFolders().length).toBe(before);
    expect(await desk.readTile({ imageId: twin.imageId, level: 0, col: 0, row: 0 })).not.toBeNull();
  });

  it('refuses a Binary that is not what it claims, says why on the image, and does not fetch it again', async () => {
    const { images } = await desk.handlers['case.open']({ referralId: 'ref-0002' });
    const target = images[2]!;
    const binaryId = `bin-0002-${target.imageId.split('-').at(-1)}`;
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#a0522d' } }).png().toBuffer();
    await hub.putBinary(binaryId, png, 'image/jpeg');
    await expect(desk.handlers['image.pyramid']({ imageId: target.imageId })).rejects.toThrow(/calls this image\/jpeg, but the bytes are image\/png/);
    const fetches = hub.requests.filter((r) => r.endsWith(`/Binary/${binaryId}`)).length;
    await expect(desk.handlers['image.pyramid']({ imageId: target.imageId })).rejects.toThrow(/bytes are image\/png/);
    expect(hub.requests.filter((r) => r.endsWith(`/Binary/${binaryId}`)).length).toBe(fetches);
    const reopened = await desk.handlers['case.open']({ referralId: 'ref-0002' });
    expect(reopened.images.find((i) => i.imageId === target.imageId)?.problem).toMatch(/bytes are image\/png/);
    expect(reopened.images.filter((i) => i.problem !== null)).toHaveLength(1);
  });

  it('gives every image of a case as a one-tile thumbnail, says which cannot be shown, and audits no view', async () => {
    const viewsBefore = (await desk.handlers['audit.report']({ limit: 10_000 })).entries.filter((e) => e.action === 'image.viewed').length;
    const thumbnails = await desk.handlers['case.thumbnails']({ referralId: 'ref-0002' });
    const { images } = await desk.handlers['case.open']({ referralId: 'ref-0002' });
    expect(thumbnails.map((t) => t.imageId)).toEqual(images.map((i) => i.imageId));
    // The image refused in the test before stays refused, with its reason; the rest are built.
    const refused = thumbnails.filter((t) => t.problem !== null);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.problem).toMatch(/bytes are image\/png/);
    for (const thumb of thumbnails.filter((t) => t.pyramid)) {
      const tile = await desk.readTile({ imageId: thumb.imageId, level: thumbnailLevel(thumb.pyramid!), col: 0, row: 0 });
      const meta = await sharp(tile!).metadata();
      expect(Math.max(meta.width, meta.height)).toBeLessThanOrEqual(thumb.pyramid!.tileSize);
      expect(Math.max(meta.width, meta.height)).toBeGreaterThan(thumb.pyramid!.tileSize / 2);
    }
    const viewsAfter = (await desk.handlers['audit.report']({ limit: 10_000 })).entries.filter((e) => e.action === 'image.viewed').length;
    expect(viewsAfter).toBe(viewsBefore);
    await expect(desk.handlers['case.thumbnails']({ referralId: 'ref-none' })).rejects.toThrow(/not in the cache/);
  });

  it('says an image is unknown rather than fetching anything', async () => {
    await expect(desk.handlers['image.pyramid']({ imageId: 'media-none' })).rejects.toThrow(/no image media-none in the cache/);
  });
});

describe('image checks before decoding', () => {
  const jpeg = (): Promise<Buffer> =>
    sharp({ create: { width: 300, height: 200, channels: 3, background: '#c89070' } }).jpeg().toBuffer();

  it('applies EXIF orientation: a quarter-turned photo comes out upright', async () => {
    const turned = await sharp(await jpeg()).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    expect(await inspectImage(turned, 'image/jpeg')).toEqual({ width: 200, height: 300 });
    const tiles = await buildPyramid(turned, await inspectImage(turned, 'image/jpeg'));
    const level9 = tiles.find((tile) => tile.level === 9 && tile.col === 0 && tile.row === 0);
    if (!level9) throw new Error(`no level 9 tile among ${tiles.length}`);
    const meta = await sharp(level9.bytes).metadata();
    expect([meta.width, meta.height]).toEqual([200, 255]);
    expect(meta.exif).toBeUndefined();
  });

  it.each([
    ['bytes that are no image', 'image/jpeg', async () => Buffer.from('%PDF-1.7 not a photo'), /not an image the desk can read/],
    ['a GIF', 'image/gif', async () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).gif().toBuffer(), /JPEG or PNG, not gif/],
    ['a PNG sent as a JPEG', 'image/jpeg', async () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).png().toBuffer(), /calls this image\/jpeg, but the bytes are image\/png/],
    ['a PNG header claiming 20000×20000 pixels', 'image/png', async () => pngHeader(20_000, 20_000), /20000×20000 pixels, over the limit/],
  ])('rejects %s with a reason', async (_what, declared, make, reason) => {
    const bytes = await make();
    await expect(inspectImage(bytes, declared)).rejects.toBeInstanceOf(ImageRejected);
    await expect(inspectImage(bytes, declared)).rejects.toThrow(reason);
  });

  it('refuses a JPEG whose data is corrupt in the middle, rather than showing it grey', async () => {
    const noisy = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } }).jpeg().toBuffer();
    const corrupt = Buffer.from(noisy);
    for (let i = Math.floor(corrupt.length / 2); i < Math.floor(corrupt.length / 2) + 4000; i++) corrupt[i] = ((corrupt[i] as number) * 31 + 7) & 255;
    const size = await inspectImage(corrupt, 'image/jpeg'); // the header is intact
    await expect(buildPyramid(corrupt, size)).rejects.toThrow(/could not be decoded: .*Corrupt JPEG data/);
    // The same image whole builds, every tile there.
    expect((await buildPyramid(noisy, size)).length).toBeGreaterThan(20);
  });

  it.each([
    ['a PNG 9,000,000×7', 9_000_000, 7],
    ['a PNG 25,000×2,500', 25_000, 2_500],
    ['a PNG 6,000×500', 6_000, 500],
  ])('refuses %s before decoding: no photograph is that long and thin', async (_what, width, height) => {
    await expect(inspectImage(pngHeader(width, height), 'image/png')).rejects.toThrow(/no photograph is that long and thin \(at most 20000 pixels a side, 10 times as long as wide\)/);
  });

  it.each([[8000, 6000], [3000, 300], [1, 1]])('takes a %i×%i image: within the limits', async (width, height) => {
    await expect(inspectImage(pngHeader(width, height), 'image/png')).resolves.toEqual({ width, height });
  });

  it.each(['jpeg', 'png'] as const)('rejects a truncated %s when building, with a reason', async (format) => {
    const noisy = sharp({ create: { width: 1200, height: 900, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
    const whole = await (format === 'jpeg' ? noisy.jpeg() : noisy.png()).toBuffer();
    const cut = whole.subarray(0, Math.floor(whole.length / 2));
    await expect(inspectImage(cut, `image/${format}`)).resolves.toEqual({ width: 1200, height: 900 }); // the header is intact
    await expect(buildPyramid(cut, { width: 1200, height: 900 })).rejects.toThrow(ImageRejected);
  });
});

/** A tiny PNG that claims an enormous size: a decompression bomb's header, with no pixels behind it. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(name: string, data: Buffer): Buffer {
  const type = Buffer.from(name);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  return Buffer.concat([length, type, data, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('pyramids built ahead', () => {
  it('builds the open case and the next cases in queue order, and no further', async () => {
    const sixCases = await startDemoHub({ cases: 6, seed: 12, now: new Date('2026-11-25T12:00:00Z') });
    const ahead = tempDir('desk-prefetch');
    const prefetching = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: ahead.path, source: { kind: 'demo', url: sixCases.baseUrl, service: sixCases.service }, tileBaseUrl: 'x', prefetchCases: 1, fhir: { timeoutMs: UNHURRIED_MS } });
    const query = <T>(sql: string, ...args: string[]): T[] => {
      const db = openCacheFile(ahead.path, { readonly: true });
      try {
        return db.prepare(sql).all(...args) as T[];
      } finally {
        db.close();
      }
    };
    const built = (): string[] => query<{ id: string }>('SELECT image_id AS id FROM pyramid ORDER BY image_id').map((r) => r.id);
    const imagesOf = (referralId: string): string[] => query<{ id: string }>('SELECT image_id AS id FROM image WHERE referral_id = ?', referralId).map((r) => r.id);
    try {
      await prefetching.sync();
      await prefetching.settled();
      const queue = (await prefetching.handlers['queue.list'](undefined)).map((r) => r.referralId);
      expect(queue).toHaveLength(6);
      // After a sync: the head of the queue, one case deep.
      expect(built()).toEqual(imagesOf(queue[0]!).sort());

      await prefetching.handlers['case.open']({ referralId: queue[2]! });
      await prefetching.settled();
      // After opening the third: it and the one after; the second and the fifth are left alone.
      expect(built()).toEqual([queue[0]!, queue[2]!, queue[3]!].flatMap(imagesOf).sort());
      // Each image built ahead is counted in the status the renderer is sent.
      expect((await prefetching.handlers['sync.status'](undefined)).images.ready).toBe(built().length);
    } finally {
      await prefetching.close();
      await sixCases.close();
      ahead.remove();
    }
  });
});
