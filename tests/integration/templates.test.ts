import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { openDesk, type Desk } from '../../electron/services/desk';
import { noAction } from '../support/outcome-drafts';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;

beforeAll(async () => {
  hub = await startDemoHub({ cases: 2, seed: 2 });
  dir = tempDir('desk-templates');
  desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0, fhir: { timeoutMs: UNHURRIED_MS } });
});

afterAll(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

describe("consultants' own templates", () => {
  it('saves one on a free key, keeps it across a restart, and deletes it', async () => {
    const saved = await desk.handlers['template.save']({ name: 'Seborrhoeic keratosis', key: 'y', draft: noAction });
    expect(saved).toMatchObject({ name: 'Seborrhoeic keratosis', key: 'y', draft: noAction });
    await desk.close();
    desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0, fhir: { timeoutMs: UNHURRIED_MS } });
    expect((await desk.handlers['template.list'](undefined)).map((t) => t.key)).toEqual(['y']);
    expect(await desk.handlers['template.delete']({ id: saved.id })).toEqual([]);
  });

  it.each([
    ['a key a built-in template has', { key: 'n' }, /The key "n" is already used; choose one of/],
    ['a key the desk uses', { key: 'o' }, /The key "o" is already used/],
    ['a draft with no outcome chosen', { draft: { kind: null, diagnosisCode: null, fields: {} } }, /Choose an outcome before saving/],
  ] as const)('refuses %s, saying why', async (_what, change, reason) => {
    await expect(desk.handlers['template.save']({ name: 'x', key: 'y', draft: noAction, ...change })).rejects.toThrow(reason);
  });

  it('refuses a second template on the same key', async () => {
    await desk.handlers['template.save']({ name: 'First', key: 'w', draft: noAction });
    await expect(desk.handlers['template.save']({ name: 'Second', key: 'w', draft: noAction })).rejects.toThrow(/"w" is already used/);
  });
});
