/**
 * Outcomes the cache lost, as the consultant meets them: signed while the server was down, the
 * cache file then deleted. The desk restores them from its outcome journal, says so above the
 * queue until read, and sends them once the server answers.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { DATABASE_FILE } from '../../electron/services/cache/open-cache';
import { openDesk } from '../../electron/services/desk';
import { noAction } from '../support/outcome-drafts';
import { launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { UNHURRIED_MS } from '../support/unhurried';

const DOCS = resolve(__dirname, '../../docs');
let session: BrowserDesk;
let serverDown = true;
const signed: string[] = [];

beforeAll(async () => {
  session = await launchBrowserDesk({
    cases: 6,
    viewport: { width: 1280, height: 800 },
    hubFaults: { take: (request) => (serverDown && request === 'POST /fhir' ? { kind: 'status', status: 503 } : undefined) },
    // An earlier session: two outcomes signed while the server refused them, then the cache file lost.
    prepareDataDir: async (dataDir, hub) => {
      const earlier = openDesk({
        keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x',
        prefetchCases: 0, undoMs: 0, reviewer: { practitionerId: DEMO_CONSULTANTS[0].id }, fhir: { timeoutMs: UNHURRIED_MS, retry: { maxAttempts: 1 } },
      });
      await earlier.sync();
      for (const r of (await earlier.handlers['queue.list'](undefined)).slice(0, 2)) {
        await earlier.handlers['case.claim']({ referralId: r.referralId });
        signed.push((await earlier.handlers['outcome.sign']({ referralId: r.referralId, draft: noAction })).outcomeId);
      }
      // Each tried once and refused: then the cache holds them as failed, and the journal has them.
      while (!(await earlier.handlers['outcome.list'](undefined)).every((o) => o.state === 'failed')) await new Promise((settle) => setTimeout(settle, 20));
      await earlier.close();
      for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) rmSync(join(dataDir, name), { force: true });
    },
  });
  await openAtQueue(session);
});

afterAll(async () => {
  await session?.close();
});

describe('outcomes the cache lost', () => {
  it('are restored from the journal, said above the queue until read, and sent once the server answers', async () => {
    const { page } = session;
    const alert = page.locator('.desk-notice.alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/The desk's cache had lost 2 signed outcomes not yet sent\. They were restored from the desk's outcome journal/);
    await page.screenshot({ path: join(DOCS, 'outcomes-restored.png') });

    serverDown = false;
    await session.desk.sync();
    await expect.poll(async () => (await session.desk.handlers['outcome.list'](undefined)).filter((o) => signed.includes(o.outcomeId)).map((o) => o.state), { timeout: UNHURRIED_MS }).toEqual(['sent', 'sent']);

    await alert.getByRole('button', { name: 'I have read this' }).click();
    await expect.poll(() => page.locator('.desk-notice.alert').count()).toBe(0);
    expect(session.pageErrors).toEqual([]);
  });
});
