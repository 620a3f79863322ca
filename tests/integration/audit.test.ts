/**
 * The audit trail records who opened, viewed, signed, undid and sent what; refuses changes; and
 * shows any tampering with the file as a broken hash chain.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { openDesk, type Desk } from '../../electron/services/desk';
import { noAction } from '../support/outcome-drafts';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { heldClock } from '../support/held-clock';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { openCacheFile } from '../support/cache-file';
import { KEY_FILE } from '../../electron/services/cache/cache-key';

const ME = DEMO_CONSULTANTS[0].id;
let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;
/** Stands still while an outcome is signed and taken back, however slowly the test runs. */
const clock = heldClock();

const open = (): Desk =>
  openDesk({
    keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0,
    undoMs: 100, outcomeClock: clock.now, reviewer: { practitionerId: ME }, fhir: { timeoutMs: UNHURRIED_MS },
  });

beforeAll(async () => {
  hub = await startDemoHub({ cases: 6, seed: 3, now: new Date('2026-11-25T12:00:00Z') });
  dir = tempDir('desk-audit');
  desk = open();
  await desk.sync();
});

afterAll(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

describe('audit trail', () => {
  it('records opening, viewing, signing, undoing and sending, in order, with an intact chain', async () => {
    const detail = await desk.handlers['case.open']({ referralId: 'ref-0001' });
    await desk.handlers['image.pyramid']({ imageId: detail.images[0]!.imageId });
    const first = await desk.handlers['outcome.sign']({ referralId: 'ref-0001', draft: noAction });
    await desk.handlers['outcome.undo']({ outcomeId: first.outcomeId });
    const second = await desk.handlers['outcome.sign']({ referralId: 'ref-0001', draft: noAction });
    clock.moveOn(101); // past the undo window: the second goes
    await expect.poll(async () => (await desk.handlers['outcome.list'](undefined)).find((o) => o.outcomeId === second.outcomeId)?.state).toBe('sent');
    const report = await desk.handlers['audit.report']({ limit: 100 });
    expect(report.chain).toEqual({ intact: true, length: 6 });
    expect(report.entries.map((e) => [e.actor, e.action, e.subject]).reverse()).toEqual([
      [ME, 'case.opened', 'ref-0001'],
      [ME, 'image.viewed', detail.images[0]!.imageId],
      [ME, 'outcome.signed', first.outcomeId],
      [ME, 'outcome.undone', first.outcomeId],
      [ME, 'outcome.signed', second.outcomeId],
      [ME, 'outcome.sent', second.outcomeId],
    ]);
  });

  it('refuses to change or remove an entry', () => {
    const db = openCacheFile(dir.path);
    try {
      expect(() => db.prepare("UPDATE audit SET actor = 'someone-else' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit WHERE seq = 2').run()).toThrow(/append-only/);
    } finally {
      db.close();
    }
  });

  it.each([
    ['an entry changed', "UPDATE audit SET subject = 'ref-0002' WHERE seq = 3", { intact: false, brokenAt: 3, reason: 'entry 3 has been changed' }],
    ['an entry removed', 'DELETE FROM audit WHERE seq = 2', { intact: false, brokenAt: 2, reason: 'entry 2 is missing' }],
  ])('shows %s behind its back as a broken chain', async (_what, sql, chain) => {
    // A copy of the file, tampered with outside the desk (the triggers dropped first).
    const copy = tempDir('desk-audit-tampered');
    try {
      // The cache is encrypted: copy its file (everything checkpointed into it) and its key.
      const original = openCacheFile(dir.path);
      original.pragma('wal_checkpoint(TRUNCATE)');
      original.close();
      for (const file of ['desk.sqlite', KEY_FILE]) copyFileSync(join(dir.path, file), join(copy.path, file));
      const raw = openCacheFile(copy.path);
      raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
      raw.exec(sql);
      raw.close();
      const tampered = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: copy.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0 });
      expect((await tampered.handlers['audit.report']({ limit: 10 })).chain).toEqual(chain);
      await tampered.close();
    } finally {
      copy.remove();
    }
  });
});
