/**
 * The cache at rest: every file the desk writes is unreadable without the key
 * — no patient name, NHS number or JPEG in its bytes — and a key that is gone leads to a clear
 * notice and a fresh sync, with the unsent outcomes counted, never to a crash.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { KEY_FILE } from '../../electron/services/cache/cache-key';
import { readUnsentOutcomes, UNSENT_FILE } from '../../electron/services/cache/unsent-outcomes';
import { CacheKept } from '../../electron/services/cache/open-cache';
import { openDesk, type Desk } from '../../electron/services/desk';
import { formatNhsNumber } from '../../shared/domain/nhs-number';
import { cacheKeyOf, openCacheFile } from '../support/cache-file';
import { noAction } from '../support/outcome-drafts';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { heldClock } from '../support/held-clock';
import { TEST_KEY_WRAP, testKeyWrap } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';

const ME = DEMO_CONSULTANTS[0].id;
let hub: DemoHub;
/**
 * What must never be readable in the cache: every patient's names and NHS number, both ways. The
 * scan reads some 17 MB of ciphertext, where any given four bytes turn up by chance about once
 * in 250 runs: a name shorter than six letters is looked for as the server's JSON writes it,
 * quoted, which chance does not produce.
 */
let secrets: string[];
const MIN_SECRET_LENGTH = 6;
/** A secret as the scan looks for it. */
const pattern = (secret: string): string => (secret.length < MIN_SECRET_LENGTH ? JSON.stringify(secret) : secret);

beforeAll(async () => {
  hub = await startDemoHub({ cases: 6, seed: 11, now: new Date('2026-11-25T12:00:00Z') });
  const bundle = (await (await fetch(`${hub.baseUrl}/Patient?_count=100`, { headers: { authorization: `Bearer ${hub.issueToken()}` } })).json()) as {
    entry: { resource: { name: { family: string; given: string[] }[]; identifier: { value: string }[] } }[];
  };
  secrets = bundle.entry.flatMap(({ resource }) => [
    ...resource.name.flatMap((name) => [name.family, ...name.given]),
    ...resource.identifier.flatMap((id) => [id.value, formatNhsNumber(id.value)]),
  ]);
  expect(secrets.length).toBeGreaterThanOrEqual(6 * 3);
});

afterAll(async () => {
  await hub?.close();
});

/** Stands still: an outcome signed with an undo window stays unsent however long the test takes. */
const clock = heldClock();
const open = (dataDir: string, wrap = TEST_KEY_WRAP, undoMs = 60_000): Desk =>
  openDesk({
    keyWrap: wrap, signIn: TEST_SIGN_IN, dataDir, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0, undoMs, outcomeClock: clock.now,
    reviewer: { practitionerId: ME }, fhir: { timeoutMs: UNHURRIED_MS },
  });

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((name) => join(folder, name)).filter((path) => statSync(path).isFile());
}

const JPEG_START = Buffer.from([0xff, 0xd8, 0xff]);

/** Every readable trace of a patient or a photograph in the folder's files, as "file: what". */
function plainTraces(folder: string): string[] {
  const found: string[] = [];
  for (const file of filesUnder(folder)) {
    const bytes = readFileSync(file);
    for (const secret of secrets.map(pattern)) if (bytes.includes(secret)) found.push(`${file}: ${secret}`);
    if (bytes.subarray(0, 3).equals(JPEG_START)) found.push(`${file}: starts as a JPEG`);
    // The markers as a JPEG writes them, with their terminating zeros: four letters alone turn up by chance.
    for (const marker of ['JFIF\0', 'Exif\0\0']) if (bytes.includes(marker)) found.push(`${file}: ${JSON.stringify(marker)}`);
  }
  return found;
}

describe('the cache at rest', () => {
  it('holds no patient name, NHS number or JPEG in any file, while open and after closing', async () => {
    const dir = tempDir('desk-at-rest');
    const desk = open(dir.path, TEST_KEY_WRAP, 0);
    try {
      await desk.sync();
      const queue = await desk.handlers['queue.list'](undefined);
      expect(queue).toHaveLength(6);
      for (const referral of queue) await desk.handlers['case.thumbnails']({ referralId: referral.referralId });
      const detail = await desk.handlers['case.open']({ referralId: queue[0]!.referralId });
      await desk.handlers['outcome.sign']({ referralId: detail.referralId, draft: noAction });
      await desk.settled();

      // The desk holds these in readable form (so the scan looks for the right strings) ...
      expect(secrets.some((secret) => detail.patientName.includes(secret))).toBe(true);
      expect(secrets).toContain(detail.nhsNumber.replace(/ /g, ''));
      const tiles = filesUnder(join(dir.path, 'tiles'));
      expect(tiles.length).toBeGreaterThan(6 * 3 * 10);
      const tile = await desk.readTile({ imageId: detail.images[0]!.imageId, level: 0, col: 0, row: 0 });
      expect(tile?.subarray(0, 3).equals(JPEG_START)).toBe(true);
      // ... and none of it is in the files, the write-ahead log included.
      expect(filesUnder(dir.path).some((file) => file.endsWith('desk.sqlite-wal'))).toBe(true);
      expect(plainTraces(dir.path)).toEqual([]);
    } finally {
      await desk.close();
    }
    expect(plainTraces(dir.path)).toEqual([]);
    dir.remove();
  });

  it('serves no tile whose bytes were changed on disk', async () => {
    const dir = tempDir('desk-tile-tamper');
    const desk = open(dir.path);
    try {
      await desk.sync();
      const [first] = await desk.handlers['queue.list'](undefined);
      const [thumbnail] = await desk.handlers['case.thumbnails']({ referralId: first!.referralId });
      const address = { imageId: thumbnail!.imageId, level: 0, col: 0, row: 0 };
      expect(await desk.readTile(address)).not.toBeNull();
      // Every image's level-0 tile, one bit flipped in each.
      const level0 = filesUnder(join(dir.path, 'tiles')).filter((path) => path.endsWith(`${sep}0${sep}0_0.tile`));
      expect(level0.length).toBeGreaterThanOrEqual(1);
      for (const file of level0) {
        const sealed = readFileSync(file);
        sealed[sealed.length - 20]! ^= 0x01;
        writeFileSync(file, sealed);
      }
      expect(await desk.readTile(address)).toBeNull();
      expect(await desk.readTile({ ...address, level: 1 })).not.toBeNull();
    } finally {
      await desk.close();
      dir.remove();
    }
  });

  it('re-encrypts a cache written with ChaCha20 pages (before AEGIS) in place, keeping what it held', async () => {
    const dir = tempDir('desk-chacha20-cache');
    try {
      await open(dir.path).close(); // the desk's key, in its key store
      const file = join(dir.path, 'desk.sqlite');
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
      // As the desk wrote its cache before: ChaCha20-Poly1305 pages, in WAL mode.
      const earlier = new Database(file);
      earlier.pragma("cipher = 'chacha20'");
      earlier.pragma('kdf_iter = 1');
      earlier.key(cacheKeyOf(dir.path));
      earlier.pragma('journal_mode = WAL');
      earlier.exec("CREATE TABLE kept (note TEXT); INSERT INTO kept VALUES ('Chachaworth 9990000026')");
      earlier.close();
      const desk = open(dir.path);
      // The same key opened it: no lost-key notice, nothing set aside.
      expect((await desk.handlers['desk.info'](undefined)).notices).toEqual([]);
      await desk.close();
      expect(readdirSync(dir.path).filter((name) => name.startsWith('lost-cache-'))).toEqual([]);
      const db = openCacheFile(dir.path, { readonly: true });
      expect(db.prepare('SELECT note FROM kept').get()).toEqual({ note: 'Chachaworth 9990000026' });
      db.close();
      // Rewritten, not merely read: ChaCha20 no longer opens it.
      const asBefore = new Database(file, { readonly: true });
      asBefore.pragma("cipher = 'chacha20'");
      asBefore.pragma('kdf_iter = 1');
      asBefore.key(cacheKeyOf(dir.path));
      expect(() => asBefore.prepare('SELECT count(*) FROM sqlite_master').get()).toThrow(/not a database/);
      asBefore.close();
    } finally {
      dir.remove();
    }
  });

  it('encrypts a cache written before encryption in place, keeping what it held', async () => {
    const dir = tempDir('desk-plain-cache');
    try {
      const plain = new Database(join(dir.path, 'desk.sqlite'));
      plain.exec("CREATE TABLE kept (note TEXT); INSERT INTO kept VALUES ('Plainsworth 9990000018')");
      plain.close();
      expect(readFileSync(join(dir.path, 'desk.sqlite')).includes('Plainsworth')).toBe(true);
      // A pyramid written plain, as before encryption: it must not survive the upgrade.
      const oldTile = join(dir.path, 'tiles', 'a'.repeat(64), 'image_files', '0', '0_0.jpeg');
      mkdirSync(dirname(oldTile), { recursive: true });
      writeFileSync(oldTile, Buffer.concat([JPEG_START, Buffer.from('JFIF old plain tile')]));
      const desk = open(dir.path);
      expect((await desk.handlers['desk.info'](undefined)).notices).toEqual([]);
      await desk.close();
      expect(filesUnder(dir.path).filter((file) => readFileSync(file).includes('Plainsworth'))).toEqual([]);
      expect(existsSync(oldTile)).toBe(false);
      expect(plainTraces(dir.path)).toEqual([]);
      const db = openCacheFile(dir.path, { readonly: true });
      expect(db.prepare('SELECT note FROM kept').get()).toEqual({ note: 'Plainsworth 9990000018' });
      db.close();
    } finally {
      dir.remove();
    }
  });
});

describe('a lost cache key', () => {
  /** A synced cache with one outcome signed and still inside its undo window (so not sent); gives the queue's length. */
  async function cacheWithUnsentOutcome(dir: string): Promise<number> {
    const desk = open(dir);
    try {
      await desk.sync();
      const queue = await desk.handlers['queue.list'](undefined);
      await desk.handlers['case.thumbnails']({ referralId: queue[0]!.referralId });
      await desk.handlers['outcome.sign']({ referralId: queue[0]!.referralId, draft: noAction });
      expect(filesUnder(join(dir, 'tiles')).length).toBeGreaterThan(0);
      return queue.length;
    } finally {
      await desk.close();
    }
  }

  it.each([
    // The last column: whether the set-aside cache opens again once the original key store is back.
    ['the key store was reset (the key no longer unwraps)', (): void => undefined, testKeyWrap('a reset key store'), /no longer opens the cache key/, true],
    ['the key file is gone', (dir: string): void => rmSync(join(dir, KEY_FILE)), TEST_KEY_WRAP, /key file is missing/, false],
    ['the key file is damaged', (dir: string): void => writeFileSync(join(dir, KEY_FILE), '{"version":1'), TEST_KEY_WRAP, /key file is damaged/, false],
  ])('when %s: a clear notice, the unsent outcome counted, the old cache kept, a fresh sync', async (_what, lose, wrap, reason, recoverable) => {
    const dir = tempDir('desk-lost-key');
    try {
      const queued = await cacheWithUnsentOutcome(dir.path);
      expect(readUnsentOutcomes(dir.path)).toBe(1);
      lose(dir.path);

      const desk = open(dir.path, wrap);
      try {
        // Tiles sealed under the lost key can never be served: none are left behind.
        expect(filesUnder(join(dir.path, 'tiles'))).toEqual([]);
        const { notices } = await desk.handlers['desk.info'](undefined);
        expect(notices).toHaveLength(1);
        expect(notices[0]!.level).toBe('alert');
        expect(notices[0]!.message).toMatch(reason);
        expect(notices[0]!.message).toMatch(/1 signed outcome was still waiting to be sent and has NOT reached the GP/);
        expect(await desk.handlers['queue.list'](undefined)).toEqual([]);
        expect(await desk.handlers['outcome.list'](undefined)).toEqual([]);
        await desk.sync();
        expect(await desk.handlers['queue.list'](undefined)).toHaveLength(queued);
        const { entries } = await desk.handlers['audit.report']({ limit: 10 });
        expect(entries.map((entry) => entry.action)).toContain('cache.reset');
      } finally {
        await desk.close();
      }
      // The old cache is kept, still encrypted, and opens with its own key should that come back.
      const [aside] = readdirSync(dir.path).filter((name) => name.startsWith('lost-cache-'));
      expect(aside).toBeDefined();
      expect(existsSync(join(dir.path, aside!, 'desk.sqlite'))).toBe(true);
      if (!recoverable) return;
      const old = openCacheFile(join(dir.path, aside!), { readonly: true });
      expect(old.prepare("SELECT count(*) AS n FROM outbox WHERE state = 'queued'").get()).toEqual({ n: 1 });
      old.close();
    } finally {
      dir.remove();
    }
  });

  it('leaves everything as it was when the consultant chooses to try again later, and opens once the key store is back', async () => {
    const dir = tempDir('desk-lost-key-kept');
    try {
      await cacheWithUnsentOutcome(dir.path);
      const before = filesUnder(dir.path).map((file) => [file, readFileSync(file).length]);
      const asked: [string, number | null][] = [];
      expect(() =>
        openDesk({
          keyWrap: testKeyWrap('a keyring still locked'), signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x',
          confirmCacheReset: (reason, unsent) => {
            asked.push([reason, unsent]);
            return false;
          },
        }),
      ).toThrow(CacheKept);
      expect(asked).toEqual([[expect.stringMatching(/no longer opens the cache key/), 1]]);
      expect(filesUnder(dir.path).map((file) => [file, readFileSync(file).length])).toEqual(before);
      // The keyring unlocked: the same cache opens, its unsent outcome still there.
      const desk = open(dir.path);
      try {
        expect((await desk.handlers['desk.info'](undefined)).notices).toEqual([]);
        expect((await desk.handlers['outcome.list'](undefined)).map((o) => o.state)).toEqual(['queued']);
      } finally {
        await desk.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('keeps the alert across restarts until the consultant has read it', async () => {
    const dir = tempDir('desk-lost-key-lasting');
    try {
      await cacheWithUnsentOutcome(dir.path);
      const reset = open(dir.path, testKeyWrap('a reset key store'));
      await reset.close(); // quit before reading the alert
      const again = open(dir.path, testKeyWrap('a reset key store'));
      try {
        const { notices } = await again.handlers['desk.info'](undefined);
        expect(notices).toHaveLength(1);
        expect(notices[0]).toMatchObject({ id: 'cache-reset', level: 'alert', lasting: true });
        expect(notices[0]!.message).toMatch(/1 signed outcome was still waiting to be sent/);
        expect(await again.handlers['desk.acknowledge']({ id: 'cache-reset' })).toEqual([]);
        const { entries } = await again.handlers['audit.report']({ limit: 10 });
        expect(entries.map((entry) => entry.action)).toContain('notice.acknowledged');
      } finally {
        await again.close();
      }
      const later = open(dir.path, testKeyWrap('a reset key store'));
      expect((await later.handlers['desk.info'](undefined)).notices).toEqual([]);
      await later.close();
    } finally {
      dir.remove();
    }
  });

  it('says when it cannot know whether outcomes were waiting', async () => {
    const dir = tempDir('desk-lost-key-uncounted');
    try {
      await cacheWithUnsentOutcome(dir.path);
      rmSync(join(dir.path, UNSENT_FILE));
      const desk = open(dir.path, testKeyWrap('another key store'));
      const { notices } = await desk.handlers['desk.info'](undefined);
      await desk.close();
      expect(notices[0]!.message).toMatch(/Whether any signed outcomes were still waiting to be sent is not known/);
    } finally {
      dir.remove();
    }
  });

  it('shows the key store warning when keys are kept without a keyring', async () => {
    const dir = tempDir('desk-plain-key-store');
    try {
      const desk = open(dir.path, testKeyWrap('basic text', 'The cache key is kept without a keyring.'));
      const { notices } = await desk.handlers['desk.info'](undefined);
      await desk.close();
      expect(notices).toEqual([{ id: 'key-store-warning', level: 'warning', message: 'The cache key is kept without a keyring.', lasting: false }]);
    } finally {
      dir.remove();
    }
  });
});
