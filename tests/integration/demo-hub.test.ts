import type { Binary, Bundle, CapabilityStatement, Media } from '@medplum/fhirtypes';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { childLines } from '../support/child-lines';

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

  it('pages a search with next links until every referral to a service has been seen once', async () => {
    const ids: string[] = [];
    let next: string | undefined = `${hub.baseUrl}/ServiceRequest?performer=${encodeURIComponent(hub.service)}&_count=10`;
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

  it('refuses a request address longer than an ordinary server takes (414), and takes one just within it', async () => {
    const path = `${hub.baseUrl}/Patient?_id=`;
    const within = `${path}${'p'.repeat(8000 - new URL(path).pathname.length - new URL(path).search.length)}`;
    expect(new URL(within).pathname.length + new URL(within).search.length).toBe(8000);
    expect((await fetch(within, { headers: fhirJson })).status).toBe(200);
    const over = await fetch(`${within}p`, { headers: fhirJson });
    expect(over.status).toBe(414);
    expect(JSON.stringify(await over.json())).toMatch(/over 8000 characters/);
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

  it('answers a Binary as a FHIR resource carrying its content when FHIR JSON is asked for', async () => {
    const binary = (await (await fetch(`${hub.baseUrl}/Binary/bin-0001-1`, { headers: fhirJson })).json()) as Binary;
    expect(binary).toMatchObject({ resourceType: 'Binary', id: 'bin-0001-1', contentType: 'image/jpeg' });
    const media = (await (await fetch(`${hub.baseUrl}/Media/media-0001-1`, { headers: fhirJson })).json()) as Media;
    const meta = await sharp(Buffer.from(binary.data ?? '', 'base64')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', media.width, media.height]);
  });

  it('says what it can do at /metadata without a token: its searches, and where to sign in', async () => {
    const response = await fetch(`${hub.baseUrl}/metadata`, { headers: { accept: 'application/fhir+json' } });
    expect(response.status).toBe(200);
    const statement = (await response.json()) as CapabilityStatement;
    expect(statement).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    const rest = statement.rest?.[0];
    expect(rest?.security?.service?.[0]?.coding?.[0]?.code).toBe('SMART-on-FHIR');
    const oauth = Object.fromEntries((rest?.security?.extension?.[0]?.extension ?? []).map((e) => [e.url, e.valueUri]));
    const smart = (await (await fetch(`${hub.baseUrl}/.well-known/smart-configuration`)).json()) as Record<string, string>;
    expect(oauth).toEqual({ authorize: smart.authorization_endpoint, token: smart.token_endpoint });
    const searches = (type: string): string[] => rest?.resource?.find((r) => r.type === type)?.searchParam?.map((p) => p.name) ?? [];
    expect(searches('ServiceRequest')).toEqual(expect.arrayContaining(['_id', '_lastUpdated', 'performer', 'subject', 'status']));
    expect(searches('Media')).toContain('based-on');
    expect(rest?.interaction?.map((i) => i.code)).toContain('transaction');
    // Without a token, nothing else is answered.
    expect((await fetch(`${hub.baseUrl}/Patient`, { headers: { accept: 'application/fhir+json' } })).status).toBe(401);
  });

  it("holds other specialties' work and patients never referred, and finds a service's own by performer and by chain", async () => {
    const search = async (query: string): Promise<string[]> => {
      const bundle = (await (await fetch(`${hub.baseUrl}/${query}&_count=1000`, { headers: fhirJson })).json()) as Bundle;
      return (bundle.entry ?? []).map((e) => `${e.resource?.resourceType}/${e.resource?.id}`);
    };
    const derm = await search(`ServiceRequest?performer=${encodeURIComponent(hub.service)}`);
    const cardiology = await search('ServiceRequest?performer=HealthcareService/cardiology');
    const all = await search('ServiceRequest?_sort=_lastUpdated');
    expect(derm).toHaveLength(28);
    expect(cardiology.length).toBeGreaterThan(0);
    expect(cardiology.some((id) => derm.includes(id))).toBe(false);
    expect(all.length).toBeGreaterThanOrEqual(28 + 25 * 5);
    // One level of chaining: the tasks of the service's referrals, and no others.
    const tasks = await search(`Task?focus:ServiceRequest.performer=${encodeURIComponent(hub.service)}`);
    expect(tasks.sort()).toEqual(derm.map((id) => id.replace('ServiceRequest/ref-', 'Task/task-')).sort());
    // Alternatives by comma, by id and by reference.
    expect(await search('Patient?_id=pat-0001,pat-0002,nobody')).toEqual(expect.arrayContaining(['Patient/pat-0001', 'Patient/pat-0002']));
    expect((await search('Media?based-on=ServiceRequest/ref-0001,ServiceRequest/ref-0002')).length).toBeGreaterThanOrEqual(6);
    expect((await search('Patient?_sort=_lastUpdated')).length).toBeGreaterThan(25 * 10);
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

describe('npm run hub', () => {
  it('stops the hub when npm is stopped, and says the server is shared', async () => {
    const npm = spawn('npm', ['run', 'hub', '--', '--port', '0', '--cases', '3'], { cwd: resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    const said = childLines(npm);
    try {
      const line = await said.next((l) => l.startsWith('FHIR R4 base URL: '), 'the hub said where it listens');
      expect(said.lines.join('\n')).toMatch(/A shared trust server: \d+ referrals to 6 services/);
      const url = /FHIR R4 base URL: (\S+)/.exec(line)?.[1] as string;
      expect((await fetch(`${url}/metadata`)).status).toBe(200);
      npm.kill('SIGTERM');
      // npm passes the signal to the shell it ran the hub in, which does not pass it on: the hub must notice.
      await expect.poll(async () => fetch(`${url}/metadata`).then(() => 'answering', () => 'stopped')).toBe('stopped');
    } finally {
      npm.kill('SIGKILL');
    }
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
