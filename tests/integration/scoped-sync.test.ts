import type { Consent, Media, Patient, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { FaultPlan } from '../../electron/hub/faults';
import { OTHER_SERVICES } from '../../electron/hub/generator/shared-server';
import { openDesk, type Desk } from '../../electron/services/desk';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { openCacheFile } from '../support/cache-file';
import { heldClock } from '../support/held-clock';
import { heldVersions } from '../support/held-versions';
import { noAction } from '../support/outcome-drafts';
import { everythingOnHub, serviceWork } from '../support/service-work';
import { tempDir } from '../support/temp-dir';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { UNHURRIED_MS } from '../support/unhurried';

const ME = DEMO_CONSULTANTS[0].id;

let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let desk: Desk;

/** A request to the hub as another system on it (the GP's, another department's). */
async function onHub<T extends Resource>(path: string, body?: Resource): Promise<T> {
  const response = await fetch(`${hub.baseUrl}/${path}`, {
    method: body ? 'PUT' : 'GET',
    headers: { accept: 'application/fhir+json', 'content-type': 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${path}: the hub answered ${response.status}`);
  return (await response.json()) as T;
}
const change = async <T extends Resource>(path: string, edit: (resource: T) => T): Promise<void> => void (await onHub<T>(path, edit(await onHub<T>(path))));

/** What the cache holds, by "Type/id". */
function held(): Set<string> {
  const db = openCacheFile(dir.path, { readonly: true });
  try {
    return new Set(heldVersions(db).keys());
  } finally {
    db.close();
  }
}

let faults: FaultPlan;

beforeEach(async () => {
  faults = new FaultPlan();
  hub = await startDemoHub({ cases: 30, seed: 16, now: new Date('2026-11-25T12:00:00Z'), faults });
  dir = tempDir('desk-scoped');
  desk = openDesk({
    keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service },
    // The outcome clock stands still: an outcome signed here stays in its undo window, not delivered.
    tileBaseUrl: 'x', prefetchCases: 0, reviewer: { practitionerId: ME }, outcomeClock: heldClock().now,
    fhir: { timeoutMs: UNHURRIED_MS, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 } },
  });
});

afterEach(async () => {
  await desk.close();
  await hub.close();
  dir.remove();
});

describe('the service’s work from a shared server', () => {
  it('is all the hub holds for the service and nothing else: no other specialty, no other patient, no problems', async () => {
    const everything = await everythingOnHub(hub);
    const referrals = everything.filter((r): r is ServiceRequest => r.resourceType === 'ServiceRequest');
    const others = referrals.filter((r) => !r.performer?.some((p) => p.reference === hub.service));
    // Most of the server is not the desk's: every other specialty is there.
    expect(others.length).toBeGreaterThan(4 * (referrals.length - others.length));
    expect(new Set(others.map((r) => r.performer?.[0]?.reference))).toEqual(new Set(OTHER_SERVICES.map((s) => `HealthcareService/${s.id}`)));
    expect(everything.filter((r) => r.resourceType === 'Patient').length).toBeGreaterThan(10 * 30);

    const status = await desk.sync();
    expect(status).toMatchObject({ state: 'idle', problem: null, problemCount: 0 });
    const work = serviceWork(everything, hub.service, ME);
    expect([...held()].sort()).toEqual([...work].sort());
    const queue = await desk.handlers['queue.list'](undefined);
    expect(queue).toHaveLength(30);
    // Nothing else was even asked for: what came is the work, and each open referral once more
    // (again, among its patient's referrals to the service).
    expect(status.resourcesReceived).toBeLessThanOrEqual(work.size + queue.length);
    expect(queue.every((r) => work.has(`ServiceRequest/${r.referralId}`))).toBe(true);
    expect(await desk.handlers['sync.problems'](undefined)).toEqual([]);
  });

  it('takes the next sync’s changes within the service and nothing from outside it', async () => {
    await desk.sync();
    const before = held();

    // A new referral to the service, for a new patient, its task and an image arriving with it.
    const patient = await onHub<Patient>('Patient/pat-0002');
    const referral = await onHub<ServiceRequest>('ServiceRequest/ref-0002');
    const task = await onHub<Task>('Task/task-0002');
    const media = await onHub<Media>('Media/media-0002-1');
    await onHub('Patient/pat-new', { ...patient, id: 'pat-new', meta: {} });
    await onHub('Media/media-new-1', { ...media, id: 'media-new-1', meta: {}, subject: { reference: 'Patient/pat-new' }, basedOn: [{ reference: 'ServiceRequest/ref-new' }] });
    await onHub('Task/task-new', { ...task, id: 'task-new', meta: {}, status: 'requested', focus: { reference: 'ServiceRequest/ref-new' }, for: { reference: 'Patient/pat-new' } });
    await onHub('ServiceRequest/ref-new', { ...referral, id: 'ref-new', meta: {}, subject: { reference: 'Patient/pat-new' } });
    // Cardiology's new referral, for a new patient of its own, is not the desk's.
    await onHub('Patient/pat-cardiac', { ...patient, id: 'pat-cardiac', meta: {} });
    await onHub('ServiceRequest/ref-cardiac', { ...referral, id: 'ref-cardiac', meta: {}, subject: { reference: 'Patient/pat-cardiac' }, performer: [{ reference: 'HealthcareService/cardiology' }] });
    // Records of other specialties the desk could not read, were they its own: never asked for, no problem.
    await onHub('Media/media-cardiac-bad', { resourceType: 'Media', id: 'media-cardiac-bad', status: 'completed', content: { url: 'Binary/none' }, basedOn: [{ reference: 'ServiceRequest/ref-other-00001' }] });
    await change<Task>('Task/task-other-00002', (t) => ({ ...t, focus: { reference: 'not a reference' } }));
    // Another image for a referral held; a consent withdrawn; a review cancelled.
    await onHub('Media/media-0003-9', { ...(await onHub<Media>('Media/media-0003-1')), id: 'media-0003-9', meta: {} });
    await change<Consent>('Consent/consent-0004-teaching-use', (c) => ({ ...c, provision: { ...c.provision, type: 'deny' } }));
    await change<Task>('Task/task-0005', (t) => ({ ...t, status: 'cancelled' }));
    // A referral sent on to plastic surgery: no longer the service's. Another too, after an
    // outcome was signed for it here: that outcome is not lost, nor sent.
    await change<ServiceRequest>('ServiceRequest/ref-0006', (r) => ({ ...r, performer: [{ reference: 'HealthcareService/plastic-surgery' }] }));
    const signed = await desk.handlers['outcome.sign']({ referralId: 'ref-0008', draft: noAction });
    await change<ServiceRequest>('ServiceRequest/ref-0008', (r) => ({ ...r, performer: [{ reference: 'HealthcareService/ent' }] }));

    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null, problemCount: 0 });
    const queue = Object.fromEntries((await desk.handlers['queue.list'](undefined)).map((r) => [r.referralId, r]));
    expect(queue['ref-new']).toMatchObject({ state: 'awaiting-review', imageCount: 1 });
    expect(queue['ref-cardiac']).toBeUndefined();
    expect(queue['ref-0005']?.state).toBe('withdrawn');
    expect(queue['ref-0006']).toBeUndefined();
    expect(queue['ref-0008']).toMatchObject({ state: 'withdrawn', sentTo: 'HealthcareService/ent' });
    expect(queue['ref-0005']?.sentTo).toBeNull();
    expect((await desk.handlers['outcome.list'](undefined)).map((o) => o.outcomeId)).toEqual([signed.outcomeId]);
    expect((await desk.handlers['case.open']({ referralId: 'ref-0003' })).images.map((i) => i.imageId)).toContain('media-0003-9');
    expect((await desk.handlers['case.open']({ referralId: 'ref-0004' })).consents.find((c) => c.kind === 'teaching-use')?.permitted).toBe(false);

    const after = held();
    expect([...after].filter((k) => !before.has(k)).sort()).toEqual(['Media/media-0003-9', 'Media/media-new-1', 'Patient/pat-new', 'ServiceRequest/ref-new', 'Task/task-new']);
    // The referral sent elsewhere went with all it was made of, and its patient with it.
    const gone = [...before].filter((k) => !after.has(k));
    expect(gone).toContain('ServiceRequest/ref-0006');
    expect(gone).toContain('Task/task-0006');
    expect(gone).toContain('Patient/pat-0006');
    expect(gone.every((k) => k.endsWith('0006') || /-0006-/.test(k))).toBe(true);
    expect(after.has('Patient/pat-cardiac')).toBe(false);
    expect(after.has('ServiceRequest/ref-0008')).toBe(true);
  });

  it('makes whole at the next sync what a sync that failed part-way left undone', async () => {
    // The practices cannot be read: the first sync fails after writing patients and parts, before any referral.
    faults.add({ match: /^GET \/fhir\/Organization\?_id=/, times: 2, fault: { kind: 'status', status: 503 } });
    expect(await desk.sync()).toMatchObject({ state: 'failed' });
    expect(faults.pending()).toBe(0);
    expect(await desk.handlers['queue.list'](undefined)).toEqual([]);

    expect(await desk.sync()).toMatchObject({ state: 'idle', problem: null, problemCount: 0 });
    const work = serviceWork(await everythingOnHub(hub), hub.service, ME);
    expect([...held()].sort()).toEqual([...work].sort());
    const detail = await desk.handlers['case.open']({ referralId: 'ref-0007' });
    expect(detail.practiceName).not.toBe('');
    expect(detail.earlierReferrals.map((e) => e.referralId)).toEqual(['ref-0007-e']);
  });
});
