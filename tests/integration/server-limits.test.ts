/**
 * A server that lacks what the desk relies on: the desk reads its CapabilityStatement, uses a
 * standard fallback where there is one, and says plainly, once, what will not work.
 */
import type { Consent, Task } from '@medplum/fhirtypes';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskNotice } from '../../shared/ipc/contract';
import { startDemoHub, type DemoHub, type DemoHubOptions } from '../../electron/hub/demo-hub';
import { ID_CHARS_PER_SEARCH } from '../../electron/services/sync/scope';
import { openCacheFile } from '../support/cache-file';
import { heldVersions } from '../support/held-versions';
import { everythingOnHub, serviceWork } from '../support/service-work';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { openDesk, type Desk } from '../../electron/services/desk';
import { tempDir } from '../support/temp-dir';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { UNHURRIED_MS } from '../support/unhurried';

let hub: DemoHub;
let desk: Desk;
let dir: ReturnType<typeof tempDir>;
let noticesSent: DeskNotice[][];

async function start(without: string[], shape: Pick<DemoHubOptions, 'cases' | 'maxUrlChars'> = {}): Promise<void> {
  hub = await startDemoHub({ cases: 20, seed: 12, now: new Date('2026-11-25T12:00:00Z'), without, ...shape });
  dir = tempDir('desk-limits');
  noticesSent = [];
  desk = openDesk({
    keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service },
    tileBaseUrl: 'x', prefetchCases: 0, reviewer: { practitionerId: DEMO_CONSULTANTS[0].id }, fhir: { timeoutMs: UNHURRIED_MS },
    onEvent: (name, payload) => name === 'desk.notices' && noticesSent.push(payload as DeskNotice[]),
  });
}

afterEach(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

/** The server-limits notice as the desk now gives it, if any. */
const limits = async (): Promise<string | undefined> => (await desk.handlers['desk.info'](undefined)).notices.find((n) => n.id === 'server-limits')?.message;

async function change<T extends { resourceType: string; id?: string }>(path: string, edit: (resource: T) => T): Promise<void> {
  const headers = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` };
  const resource = (await (await fetch(`${hub.baseUrl}/${path}`, { headers })).json()) as T;
  const response = await fetch(`${hub.baseUrl}/${path}`, { method: 'PUT', headers, body: JSON.stringify(edit(resource)) });
  expect(response.status).toBe(200);
}

describe('a server that offers everything the desk needs', () => {
  it('is used as it is, with nothing to say', async () => {
    await start([]);
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(await limits()).toBeUndefined();
    expect(hub.requests.filter((r) => r.startsWith('GET /fhir/metadata'))).toHaveLength(1);
  });
});

describe('a server that lacks something the desk relies on', () => {
  it.each([
    { without: ['transaction'], says: /cannot take outcomes as one transaction/ },
    { without: ['conditional-create'], says: /does not offer conditional create: an outcome sent again after a lost answer could reach the GP twice/ },
    { without: ['if-match'], says: /does not check updates against the version read \(If-Match\): two consultants could claim the same case at once/ },
    { without: ['QuestionnaireResponse.based-on'], says: /cannot search QuestionnaireResponse by based-on: the GP's questionnaire answers cannot be read/ },
  ])('without $without: says "$says"', async ({ without, says }) => {
    await start(without);
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(await limits()).toMatch(says);
    expect(noticesSent.at(-1)?.find((n) => n.id === 'server-limits')?.message).toMatch(says);
  });

  it('takes nothing from a server that cannot search referrals by the service they are addressed to, and says why', async () => {
    await start(['ServiceRequest.performer']);
    const status = await desk.sync();
    expect(status.state).toBe('failed');
    expect(status.problem).toMatch(/cannot tell its service's work from other specialties' and takes nothing/);
    expect(await limits()).toMatch(/ServiceRequest performer/);
    expect(await desk.handlers['queue.list'](undefined)).toEqual([]);
    // Nothing was asked for but what the server can do.
    expect(hub.requests.filter((r) => !r.startsWith('GET /fhir/metadata'))).toEqual([]);
  });

  it('without _lastUpdated: reads all of the service\'s work at each sync, so changes still arrive', async () => {
    await start(['_lastUpdated']);
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    await change<Task>('Task/task-0003', (t) => ({ ...t, status: 'cancelled' }));
    await change<Consent>('Consent/consent-0004-teaching-use', (c) => ({ ...c, provision: { ...c.provision, type: 'deny' } }));
    const before = hub.requests.length;
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    const queue = Object.fromEntries((await desk.handlers['queue.list'](undefined)).map((r) => [r.referralId, r.state]));
    expect(queue['ref-0003']).toBe('withdrawn');
    expect((await desk.handlers['case.open']({ referralId: 'ref-0004' })).consents.find((c) => c.kind === 'teaching-use')?.permitted).toBe(false);
    expect(hub.requests.slice(before).some((r) => /[?&]_lastUpdated=/.test(r))).toBe(false);
    expect(await limits()).toMatch(/cannot search by _lastUpdated: each sync reads all of the service's work again/);
  });

  it('without chained search: asks by referral instead, once refused, and says so once', async () => {
    await start(['chained-search']);
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(await limits()).toBeUndefined(); // a CapabilityStatement cannot say it: found when first refused
    await change<Task>('Task/task-0003', (t) => ({ ...t, status: 'cancelled' }));
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(Object.fromEntries((await desk.handlers['queue.list'](undefined)).map((r) => [r.referralId, r.state]))['ref-0003']).toBe('withdrawn');
    expect(await limits()).toMatch(/cannot follow a chained search/);
    await change<Task>('Task/task-0006', (t) => ({ ...t, status: 'cancelled' }));
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(Object.fromEntries((await desk.handlers['queue.list'](undefined)).map((r) => [r.referralId, r.state]))['ref-0006']).toBe('withdrawn');
    // Tried once; said once.
    expect(hub.requests.filter((r) => decodeURIComponent(r).includes(':ServiceRequest.performer'))).toHaveLength(1);
    expect(noticesSent.filter((sent) => sent.some((n) => /chained search/.test(n.message)))).toHaveLength(1);
  });

  it('without Consent search by data: cases come without consents, shown as not recorded, and says so', async () => {
    await start(['Consent.data']);
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(20);
    expect((await desk.handlers['case.open']({ referralId: 'ref-0001' })).consents).toEqual([]);
    expect(await limits()).toMatch(/cannot search Consent by data: the patient's consents \(shown as not recorded\) cannot be read/);
  });

  it('refusing long search addresses: asks again with shorter ones, takes all of the service\'s work, and says so once', async () => {
    // Enough referrals that a search of their parts by id runs past what this server takes.
    const takes = 2500;
    await start([], { cases: 150, maxUrlChars: takes });
    expect(ID_CHARS_PER_SEARCH).toBeGreaterThan(takes);
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(await limits()).toMatch(/refuses long search addresses: the desk asks for fewer resources in each search/);
    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null });
    expect(noticesSent.filter((sent) => sent.some((n) => /long search addresses/.test(n.message)))).toHaveLength(1);
    const work = serviceWork(await everythingOnHub(hub), hub.service, DEMO_CONSULTANTS[0].id);
    const db = openCacheFile(dir.path, { readonly: true });
    try {
      expect(new Set(heldVersions(db).keys())).toEqual(work);
    } finally {
      db.close();
    }
  });
});
