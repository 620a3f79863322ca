import { DEMO_SERVICE } from '../../electron/hub/generator/shared-server';
import type { DocumentReference, Media, ServiceRequest } from '@medplum/fhirtypes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatus } from '../../shared/domain/sync-status';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { openDesk, type Desk, type DeskOptions } from '../../electron/services/desk';
import { DESK_CODE_SYSTEM } from '../../electron/services/fhir/codes';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { openCacheFile } from '../support/cache-file';
import { hubFhir } from '../support/hub-fhir';
import { PATIENT_NOT_RECEIVED } from '../../electron/services/db/case-store';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { noAction } from '../support/outcome-drafts';

/** Writes an image of ref-0001 with the given view code to the hub, as another system would. */
const putMedia = (method: 'POST' | 'PUT', view: string): Promise<Response> =>
  fetch(`${hub.baseUrl}/Media${method === 'PUT' ? '/media-bad' : ''}`, {
    method,
    headers: { 'content-type': 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` },
    body: JSON.stringify({
      resourceType: 'Media', id: 'media-bad', status: 'completed', content: { contentType: 'image/jpeg', url: 'Binary/bin-0001-1' },
      view: { coding: [{ system: DESK_CODE_SYSTEM.imageView, code: view }] }, width: 10, height: 10,
      basedOn: [{ reference: 'ServiceRequest/ref-0001' }],
    }),
  });

const PRIORITY_RANK = { 'urgent-suspected-cancer': 0, urgent: 1, routine: 2 } as const;

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let statuses: SyncStatus[];
let desk: Desk;

const open = (url = hub.baseUrl, fhir: DeskOptions['fhir'] = {}): Desk =>
  openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url, service: DEMO_SERVICE }, tileBaseUrl: 'http://desk.invalid/tiles/', onEvent: (name, payload) => name === 'sync.status' && statuses.push(payload as SyncStatus), prefetchCases: 0, fhir: { timeoutMs: UNHURRIED_MS, ...fhir } });

beforeEach(async () => {
  hub = await startDemoHub({ cases: 40, seed: 11, now: new Date('2026-11-25T12:00:00Z') });
  dir = tempDir('desk-sync');
  statuses = [];
  desk = open();
});

afterEach(async () => {
  await desk.close();
  await hub.close();
  dir.remove();
});

describe('sync v0 into a SQLite file', () => {
  it('brings every referral into the queue, urgency first, then due date', async () => {
    const status = await desk.sync();
    // Two of the forty arrive withdrawn (every twentieth): listed, marked, not counted as waiting.
    expect(status).toMatchObject({ state: 'idle', casesInCache: 38, problem: null, problemCount: 0 });
    expect(status.lastSuccessAt).not.toBeNull();
    const queue = await desk.handlers['queue.list'](undefined);
    expect(queue).toHaveLength(40);
    // Nothing built ahead in this test: every image of the 38 awaiting review is still to prepare.
    expect(status.images).toEqual({ ready: 0, total: queue.filter((r) => r.state !== 'withdrawn').reduce((n, r) => n + r.imageCount, 0) });
    // Progress went out during the sync: records received, rising.
    const received = statuses.map((s) => s.resourcesReceived).filter((n) => n > 0);
    expect(received.length).toBeGreaterThan(1);
    expect([...received].sort((a, b) => a - b)).toEqual(received);
    expect(queue.slice(-2).map((r) => [r.referralId, r.state]).sort()).toEqual([['ref-0020', 'withdrawn'], ['ref-0040', 'withdrawn']]);
    const keys = queue.slice(0, 38).map((r) => [PRIORITY_RANK[r.referrerPriority], r.dueDate] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    expect(keys).toEqual(sorted);
    expect(statuses[0]?.state).toBe('syncing');
  });

  it('opens a whole case from the cache: patient, GP, practice and images', async () => {
    await desk.sync();
    const detail = await desk.handlers['case.open']({ referralId: 'ref-0001' });
    expect(detail.patientName).toMatch(/^[A-Z]+, /);
    expect(detail.referrerName).toMatch(/^Dr /);
    expect(detail.practiceName).not.toBe('');
    expect(detail.images.length).toBeGreaterThanOrEqual(3);
    expect(detail.images[0]?.view).toBe('distant');
    expect(detail.consents.map((c) => c.kind)).toEqual(['hospital-referral', 'share-with-hospital', 'teaching-use']);
    expect(detail.questionnaire.map((q) => q.linkId)).toEqual(['duration', 'changing', 'bleeding', 'skin-cancer-history', 'immunosuppressed', 'fitzpatrick']);
    expect(detail.questionnaire.every((q) => q.answer !== null)).toBe(true);
    // Every thirteenth referral left the history questions unanswered.
    const thin = await desk.handlers['case.open']({ referralId: 'ref-0013' });
    expect(thin.questionnaire.filter((q) => q.answer === null).map((q) => q.linkId)).toEqual(['duration', 'bleeding']);
    await expect(desk.handlers['case.open']({ referralId: 'ref-9999' })).rejects.toThrow(/not in the cache/);
  });

  it('syncing again duplicates nothing', async () => {
    await desk.sync();
    await desk.sync();
    const db = openCacheFile(dir.path, { readonly: true });
    const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    // 40 referrals awaiting review and 5 earlier ones (every seventh patient), finished.
    expect(count('referral')).toBe(45);
    expect(count('patient')).toBe(40);
    expect(count('consent')).toBe(135);
    const queued = (await desk.handlers['queue.list'](undefined)).reduce((n, r) => n + r.imageCount, 0);
    const earlierImages = (db.prepare(`SELECT count(*) AS n FROM image WHERE referral_id LIKE '%-e'`).get() as { n: number }).n;
    expect(earlierImages).toBeGreaterThan(0);
    expect(count('image')).toBe(queued + earlierImages);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('skips a resource it cannot read, says which and why, and keeps the rest', async () => {
    const bad = await putMedia('POST', 'thermal');
    expect(bad.status).toBe(201);
    const status = await desk.sync();
    expect(status).toMatchObject({ state: 'idle', problemCount: 1, problem: null });
    const problems = await desk.handlers['sync.problems'](undefined);
    expect(problems.map((p) => [p.resourceType, p.resourceId])).toEqual([['Media', 'media-bad']]);
    expect(problems[0]?.reason).toMatch(/image view "thermal"/);
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(40);

    // Corrected upstream: the next sync takes the new version and lets the problem go.
    const fixed = await putMedia('PUT', 'close-up');
    expect(fixed.status).toBe(200);
    expect(await desk.sync()).toMatchObject({ state: 'idle', problemCount: 0, problem: null });
    expect(await desk.handlers['sync.problems'](undefined)).toEqual([]);
    expect((await desk.handlers['case.open']({ referralId: 'ref-0001' })).images.map((i) => i.imageId)).toContain('media-bad');
  });

  it("opens a case whose questionnaire cannot be read, and says why among the sync problems", async () => {
    // A GP system that writes its items as one object, and an answer as an object where text belongs.
    const headers = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` };
    const qr = (await (await fetch(`${hub.baseUrl}/QuestionnaireResponse/qr-0001`, { headers })).json()) as Record<string, unknown>;
    const damaged = { ...qr, item: { linkId: 'lesion', text: 'Where is it?', answer: [{ valueString: { text: 'arm' } }] } };
    expect((await fetch(`${hub.baseUrl}/QuestionnaireResponse/qr-0001`, { method: 'PUT', headers, body: JSON.stringify(damaged) })).status).toBe(200);
    expect((await desk.sync()).state).toBe('idle');
    const problems = await desk.handlers['sync.problems'](undefined);
    expect(problems.map((p) => [p.resourceType, p.resourceId])).toEqual([['QuestionnaireResponse', 'qr-0001']]);
    expect(problems[0]?.reason).toMatch(/the GP's questionnaire cannot be read: its items are not a list/);
    const detail = await desk.handlers['case.open']({ referralId: 'ref-0001' });
    expect(detail.referralId).toBe('ref-0001');
    expect(detail.questionnaire).toEqual([]);
  });

  it("lists a referral whose patient never arrives, flagged, and will not sign for it", async () => {
    const headers = { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` };
    const template = (await (await fetch(`${hub.baseUrl}/ServiceRequest/ref-0001`, { headers })).json()) as ServiceRequest;
    await hub.putResources([{ ...template, id: 'ref-orphan', subject: { reference: 'Patient/pat-nowhere' }, meta: { versionId: '1', lastUpdated: new Date().toISOString() } }]);
    expect((await desk.sync()).state).toBe('idle');
    const orphan = (await desk.handlers['queue.list'](undefined)).find((r) => r.referralId === 'ref-orphan');
    expect(orphan).toMatchObject({ patientMissing: true, patientName: PATIENT_NOT_RECEIVED, nhsNumber: '', birthDate: null, sex: null });
    expect((await desk.handlers['case.open']({ referralId: 'ref-orphan' })).patientMissing).toBe(true);
    // The others are whole.
    expect((await desk.handlers['queue.list'](undefined)).filter((r) => r.patientMissing).map((r) => r.referralId)).toEqual(['ref-orphan']);
    await desk.close();
    desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: DEMO_SERVICE }, tileBaseUrl: 'x', prefetchCases: 0, reviewer: { practitionerId: DEMO_CONSULTANTS[0].id }, fhir: { timeoutMs: UNHURRIED_MS } });
    await expect(desk.handlers['outcome.sign']({ referralId: 'ref-orphan', draft: noAction })).rejects.toThrow(/patient's record has not arrived from the server, or could not be read/);
  });

  it('keeps the cache across a restart, and works from it when the server is gone', async () => {
    await desk.sync();
    await desk.close();
    await hub.close();
    desk = open(hub.baseUrl, { retry: { maxAttempts: 2, baseDelayMs: 10 } });
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(40);
    const status = await desk.sync();
    expect(status.state).toBe('offline');
    expect(status.problem).toMatch(/could not reach http:\/\/127\.0\.0\.1/);
    expect(status.lastSuccessAt).not.toBeNull();
    expect(await desk.handlers['queue.list'](undefined)).toHaveLength(40);
  });

  it('asks only for changes after the first sync: nothing new is ten searches (one more for each hundred referrals held)', async () => {
    await desk.sync();
    const before = hub.requests.length;
    const status = await desk.sync();
    expect(status.state).toBe('idle');
    const asked = hub.requests.slice(before).map((r) => new URL(r.slice('GET '.length), 'http://hub.invalid'));
    // Referrals to the service; referrals held (up to a hundred a search); the parts of referrals
    // held, by chained search; the people held. Each for changes only, from the overlap window.
    expect(asked.map((url) => `${url.pathname.replace('/fhir/', '')} ${[...url.searchParams.keys()].filter((k) => !k.startsWith('_')).join(',') || '_id'}`)).toEqual([
      'ServiceRequest performer', 'ServiceRequest _id',
      'Task focus:ServiceRequest.performer', 'QuestionnaireResponse based-on:ServiceRequest.performer', 'Consent data:ServiceRequest.performer',
      'Media based-on:ServiceRequest.performer', 'DocumentReference related:ServiceRequest.performer',
      'Patient _id', 'Practitioner _id', 'Organization _id',
    ]);
    expect(asked.every((url) => url.searchParams.get('_lastUpdated')?.startsWith('ge'))).toBe(true);
  });

  it("starts the next sync from the server's time when this one's first search began, not from the newest change it saw", async () => {
    // The hub's work is stamped days before today; its pages carry the time they were served, and
    // its answers a Date header, whole seconds: the earlier of the two can be a second before.
    const before = new Date(Date.now() - 1000).toISOString();
    expect((await desk.sync()).state).toBe('idle');
    const after = new Date().toISOString();
    const db = openCacheFile(dir.path, { readonly: true });
    try {
      const checkpoint = (db.prepare("SELECT value FROM sync_state WHERE key = 'checkpoint'").get() as { value: string }).value;
      expect(checkpoint >= before && checkpoint <= after, `${checkpoint} within ${before} … ${after}`).toBe(true);
    } finally {
      db.close();
    }
  });

  it('picks up a late commit stamped before its checkpoint, inside the overlap window', async () => {
    // The checkpoint is the server's time when the sync's first search began: after this.
    const late = new Date(Date.now() - 2 * 60 * 1000).toISOString();
    await desk.sync();
    const template = (await (await fetch(`${hub.baseUrl}/ServiceRequest/ref-0001`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as ServiceRequest;
    await hub.putResources([{ ...template, id: 'ref-late', meta: { versionId: '1', lastUpdated: late } }]);
    await desk.sync();
    expect((await desk.handlers['queue.list'](undefined)).map((r) => r.referralId)).toContain('ref-late');
  });

  it('marks a referral withdrawn when the GP revokes it or its review task is cancelled', async () => {
    await desk.sync();
    const headers = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` };
    const referral = (await (await fetch(`${hub.baseUrl}/ServiceRequest/ref-0003`, { headers })).json()) as Record<string, unknown>;
    expect((await fetch(`${hub.baseUrl}/ServiceRequest/ref-0003`, { method: 'PUT', headers, body: JSON.stringify({ ...referral, status: 'revoked' }) })).status).toBe(200);
    const task = (await (await fetch(`${hub.baseUrl}/Task/task-0004`, { headers })).json()) as Record<string, unknown>;
    expect((await fetch(`${hub.baseUrl}/Task/task-0004`, { method: 'PUT', headers, body: JSON.stringify({ ...task, status: 'cancelled' }) })).status).toBe(200);

    const status = await desk.sync();
    expect(status.casesInCache).toBe(36);
    const states = Object.fromEntries((await desk.handlers['queue.list'](undefined)).map((r) => [r.referralId, r.state]));
    expect(states['ref-0003']).toBe('withdrawn');
    expect(states['ref-0004']).toBe('withdrawn');
    expect(states['ref-0005']).toBe('awaiting-review');
  });

  it("links a patient's earlier referral, with its images, to the case", async () => {
    await desk.sync();
    const detail = await desk.handlers['case.open']({ referralId: 'ref-0007' });
    expect(detail.earlierReferrals.map((e) => e.referralId)).toEqual(['ref-0007-e']);
    expect(detail.earlierReferrals[0]?.images.length).toBeGreaterThanOrEqual(3);
    expect((await desk.handlers['case.open']({ referralId: 'ref-0006' })).earlierReferrals).toEqual([]);
  });

  it('takes images sent as DocumentReference, their size unknown until read', async () => {
    await desk.sync();
    const detail = await desk.handlers['case.open']({ referralId: 'ref-0008' });
    expect(detail.images.length).toBeGreaterThanOrEqual(3);
    expect(detail.images.every((i) => i.imageId.startsWith('DocumentReference_doc-0008-') && i.width === 0)).toBe(true);
    const pyramid = await desk.handlers['image.pyramid']({ imageId: detail.images[0]!.imageId });
    expect(pyramid.width).toBeGreaterThan(0);
    const reopened = await desk.handlers['case.open']({ referralId: 'ref-0008' });
    expect(reopened.images[0]?.width).toBe(pyramid.width);
  });

  it('keeps a Media and a DocumentReference that share an id as two images, each with its own picture', async () => {
    const onHub = hubFhir(() => hub);
    const media = await onHub<Media>('Media/media-0003-1');
    // A document of the same referral, given the Media's id by another system, showing another picture.
    const document = await onHub<DocumentReference>('DocumentReference/doc-0008-1');
    await onHub('DocumentReference/media-0003-1', { ...document, id: 'media-0003-1', meta: {}, context: { related: [{ reference: 'ServiceRequest/ref-0003' }] } });
    await desk.sync();
    const images = (await desk.handlers['case.open']({ referralId: 'ref-0003' })).images.map((i) => i.imageId);
    expect(images).toEqual(expect.arrayContaining([media.id, 'DocumentReference_media-0003-1']));
    for (const imageId of [media.id!, 'DocumentReference_media-0003-1']) {
      expect((await desk.handlers['image.pyramid']({ imageId })).width).toBeGreaterThan(0);
      expect(await desk.readTile({ imageId, level: 0, col: 0, row: 0 })).not.toBeNull();
    }
    await desk.close();
    const db = openCacheFile(dir.path);
    try {
      const built = db.prepare(`SELECT count(DISTINCT content_hash) FROM pyramid WHERE image_id IN (?, ?)`).pluck().get(media.id, 'DocumentReference_media-0003-1');
      expect(built).toBe(2); // two pictures, not one read twice
    } finally {
      db.close();
    }
  });
});
