import type { Binary, Bundle, Media } from '@medplum/fhirtypes';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';

let hub: DemoHub;
/** The hub wants a token on every FHIR request; this test acts as another system on it. */
const fhirJson: Record<string, string> = { accept: 'application/fhir+json' };

beforeAll(async () => {
  hub = await startDemoHub({ cases: 25, seed: 3, now: new Date('2026-11-25T12:00:00Z') });
  fhirJson.authorization = `Bearer ${hub.issueToken()}`;
});
afterAll(() => hub?.close());

describe('demo hub: a FHIR R4 server on loopback', () => {
  it('listens on 127.0.0.1 on a port of its own', () => {
    expect(hub.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/fhir$/);
  });

  it('pages a search with next links until every referral has been seen once', async () => {
    const ids: string[] = [];
    let next: string | undefined = `${hub.baseUrl}/ServiceRequest?_count=10`;
    let pages = 0;
    while (next) {
      const bundle = (await (await fetch(next, { headers: fhirJson })).json()) as Bundle;
      ids.push(...(bundle.entry ?? []).map((e) => e.resource?.id ?? ''));
      next = bundle.link?.find((l) => l.relation === 'next')?.url;
      pages += 1;
    }
    // 25 cases, and an earlier referral for every seventh patient.
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(28);
  });

  it('serves a Binary as a real JPEG of the size its Media states', async () => {
    const media = (await (await fetch(`${hub.baseUrl}/Media/media-0002-1`, { headers: fhirJson })).json()) as Media;
    const response = await fetch(`${hub.baseUrl}/${media.content.url}`, { headers: { authorization: fhirJson.authorization! } });
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await response.arrayBuffer());
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([media.width, media.height]);
    expect(bytes.length).toBeGreaterThan(200_000);
  });

  it('answers a Binary as a FHIR resource when FHIR JSON is asked for', async () => {
    const binary = (await (await fetch(`${hub.baseUrl}/Binary/bin-0001-1`, { headers: fhirJson })).json()) as Binary;
    expect(binary).toMatchObject({ resourceType: 'Binary', id: 'bin-0001-1', contentType: 'image/jpeg' });
  });

  it.each([
    ['an unknown resource', '/fhir/Patient/nobody', 404],
    ['an unknown Binary', '/fhir/Binary/bin-9999-1', 404],
    ['a path outside /fhir', '/admin', 404],
  ])('answers %s with an OperationOutcome and %i', async (_what, path, status) => {
    const response = await fetch(`${hub.baseUrl.replace(/\/fhir$/, '')}${path}`, { headers: fhirJson });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });

  it('creates and reads back resources like any FHIR server', async () => {
    const created = await fetch(`${hub.baseUrl}/Organization`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', ...fhirJson },
      body: JSON.stringify({ resourceType: 'Organization', name: 'Test Practice' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = (await (await fetch(`${hub.baseUrl}/Organization/${id}`, { headers: fhirJson })).json()) as { name: string };
    expect(read.name).toBe('Test Practice');
  });
});

describe('demo hub transactions', () => {
  it('applies a transaction whose If-Match no longer holds not at all', async () => {
    const task = (await (await fetch(`${hub.baseUrl}/Task/task-0005`, { headers: fhirJson })).json()) as { meta: { versionId: string } };
    const transaction = {
      resourceType: 'Bundle', type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0f0e0d0c-0000-4000-8000-000000000001', resource: { resourceType: 'Organization', name: 'Should not exist' }, request: { method: 'POST', url: 'Organization' } },
        { resource: { ...task, status: 'completed' }, request: { method: 'PUT', url: 'Task/task-0005', ifMatch: 'W/"not-the-version"' } },
      ],
    };
    const response = await fetch(hub.baseUrl, { method: 'POST', headers: { ...fhirJson, 'content-type': 'application/fhir+json' }, body: JSON.stringify(transaction) });
    expect(response.status).toBe(412);
    const orgs = (await (await fetch(`${hub.baseUrl}/Organization?name=Should`, { headers: fhirJson })).json()) as Bundle;
    expect(orgs.total).toBe(0);
    expect(((await (await fetch(`${hub.baseUrl}/Task/task-0005`, { headers: fhirJson })).json()) as { meta: { versionId: string } }).meta.versionId).toBe(task.meta.versionId);
  });
});
