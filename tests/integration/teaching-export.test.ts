/**
 * Teaching export against the demo hub: with the patient's teaching consent, the chosen image
 * leaves the desk upright, re-encoded, with no metadata, under a random name, beside a manifest
 * of non-identifying facts; without it, or once it is withdrawn on the server, nothing is
 * fetched or written and the reason is given. Every export and refusal is audited.
 */
import type { Consent } from '@medplum/fhirtypes';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { openDesk, type Desk } from '../../electron/services/desk';
import { formatNhsNumber } from '../../shared/domain/nhs-number';
import type { CaseDetail } from '../../shared/domain/referral';
import { TEACHING_FILE_NAME, TEACHING_FOLDER_NAME, teachingManifestSchema } from '../../shared/domain/teaching-export';
import { noAction } from '../support/outcome-drafts';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';

/** For the test's own requests to the hub, as another system on it; the token is added once the hub runs. */
const headers: Record<string, string> = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json' };
const CAPTURED = { exif: '2026:03:02 10:15:00', iptc: '20260302', iso: '2026-03-02' };
let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
let exportDir: string;
let desk: Desk;
let consented: CaseDetail;
let refused: CaseDetail;

beforeAll(async () => {
  hub = await startDemoHub({ cases: 8, seed: 5, now: new Date('2026-11-25T12:00:00Z') });
  headers.authorization = `Bearer ${hub.issueToken()}`;
  dir = tempDir('desk-teaching');
  exportDir = join(dir.path, 'teaching export'); // made by the desk on first export
  mkdirSync(join(dir.path, 'data'));
  desk = openDesk({
    keyWrap: TEST_KEY_WRAP,
    signIn: TEST_SIGN_IN,
    dataDir: join(dir.path, 'data'), source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0,
    reviewer: { practitionerId: DEMO_CONSULTANTS[0].id }, teachingExportDir: exportDir, fhir: { timeoutMs: UNHURRIED_MS },
  });
  await desk.sync();
  const cases: CaseDetail[] = [];
  for (const r of await desk.handlers['queue.list'](undefined)) {
    if (r.state === 'awaiting-review') cases.push(await desk.handlers['case.open']({ referralId: r.referralId }));
  }
  const teaching = (d: CaseDetail): boolean | undefined => d.consents.find((c) => c.kind === 'teaching-use')?.permitted;
  const withMedia = (d: CaseDetail): boolean => d.images.every((i) => i.imageId.startsWith('media-'));
  consented = cases.find((d) => teaching(d) === true && withMedia(d))!;
  refused = cases.find((d) => teaching(d) === false && withMedia(d))!;
  if (!consented || !refused) throw new Error('the demo hub has no referral with teaching consent yes and one with no');
});

afterAll(async () => {
  await desk?.close();
  await hub?.close();
  dir?.remove();
});

const binaryOf = (imageId: string): string => imageId.replace(/^media-/, 'bin-');
const exportFolders = (): string[] => {
  try {
    return readdirSync(exportDir);
  } catch {
    return [];
  }
};

/** JPEG segment: marker, then length (counting itself) and payload. */
function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** An IPTC block (Photoshop APP13) holding a caption and a creation date. */
function iptcBlock(caption: string): Buffer {
  const dataset = (id: number, text: string): Buffer => {
    const value = Buffer.from(text, 'latin1');
    const head = Buffer.from([0x1c, 2, id, 0, 0]);
    head.writeUInt16BE(value.length, 3);
    return Buffer.concat([head, value]);
  };
  const iim = Buffer.concat([dataset(120, caption), dataset(55, CAPTURED.iptc)]);
  const resource = Buffer.alloc(12);
  resource.write('8BIM', 0, 'latin1');
  resource.writeUInt16BE(0x0404, 4);
  resource.writeUInt32BE(iim.length, 8);
  return Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), resource, iim, Buffer.alloc(iim.length % 2)]);
}

/**
 * A photograph as a careless device might send it: the patient named in EXIF, XMP, IPTC and a
 * JPEG comment, capture dates, a non-sRGB profile, and EXIF orientation 6 (stored on its side,
 * a dark marker in the stored top-left corner).
 */
async function identifyingOriginal(detail: CaseDetail): Promise<Buffer> {
  const who = `${detail.patientName} NHS ${formatNhsNumber(detail.nhsNumber)} (${detail.nhsNumber}) born ${detail.birthDate}`;
  const jpeg = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#c08070' } })
    .composite([{ input: { create: { width: 100, height: 100, channels: 3, background: '#101010' } }, left: 0, top: 0 }])
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .withExif({ IFD0: { ImageDescription: who, Artist: detail.patientName, DateTime: CAPTURED.exif }, IFD2: { DateTimeOriginal: CAPTURED.exif } })
    .withXmp(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${who}</dc:title></rdf:Description></rdf:RDF></x:xmpmeta>`)
    .jpeg()
    .toBuffer();
  return Buffer.concat([jpeg.subarray(0, 2), segment(0xed, iptcBlock(who)), segment(0xfe, Buffer.from(`${who} ${CAPTURED.iso}`, 'latin1')), jpeg.subarray(2)]);
}

/** Everything that would identify the patient or the record, as it might be written. */
function identifiers(detail: CaseDetail): string[] {
  return [
    detail.patientName, ...detail.patientName.split(/\s+/).filter((part) => part.length > 2), detail.nhsNumber, formatNhsNumber(detail.nhsNumber),
    detail.birthDate ?? 'no birth date', detail.receivedAt.slice(0, 10), detail.dueDate, detail.referralId, detail.practiceName, detail.referrerName,
    ...detail.images.map((i) => i.imageId), CAPTURED.exif, CAPTURED.iptc, CAPTURED.iso,
  ];
}
const DATE_STRING = /\b(19|20)\d{2}[-:/.](0[1-9]|1[0-2])[-:/.](0[1-9]|[12]\d|3[01])/;

describe('teaching export', () => {
  it('writes the chosen image upright, re-encoded with no EXIF, XMP, IPTC, profile, name, NHS number or date', async () => {
    const image = consented.images[1]!;
    const original = await identifyingOriginal(consented);
    const before = await sharp(original).metadata();
    // The test's own premise: the original really does carry all of it.
    expect([before.orientation, !!before.exif, !!before.xmp, !!before.iptc, !!before.icc]).toEqual([6, true, true, true, true]);
    expect(original.toString('latin1')).toContain(consented.patientName);
    await hub.putBinary(binaryOf(image.imageId), original, 'image/jpeg');
    const signed = await desk.handlers['outcome.sign']({
      referralId: consented.referralId,
      draft: { ...noAction, fields: { ...noAction.fields, diagnosis: `Melanocytic naevus; ${consented.patientName} worried since ${CAPTURED.iso}` } },
    });
    expect(signed.draft.diagnosisCode).toBe('400096001');

    const result = await desk.handlers['teaching.export']({ referralId: consented.referralId, imageIds: [image.imageId] });
    expect(result.state).toBe('exported');
    if (result.state !== 'exported') return;
    expect(result.count).toBe(1);
    expect(basename(result.folder)).toMatch(TEACHING_FOLDER_NAME);
    expect(exportFolders()).toEqual([basename(result.folder)]); // no partial folder left beside it
    expect(readdirSync(result.folder).sort()).toEqual([...result.files, 'manifest.json'].sort());
    const [file] = result.files;
    expect(file).toMatch(TEACHING_FILE_NAME);

    const bytes = readFileSync(join(result.folder, file!));
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('jpeg');
    expect({ exif: meta.exif, xmp: meta.xmp, iptc: meta.iptc, icc: meta.icc, comments: meta.comments, orientation: meta.orientation })
      .toEqual({ exif: undefined, xmp: undefined, iptc: undefined, icc: undefined, comments: undefined, orientation: undefined });
    // Upright: a quarter turn clockwise puts the stored top-left marker at the top right.
    const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([400, 600]);
    expect(data[(10 * info.width + info.width - 10) * info.channels]).toBeLessThan(60);
    expect(data[(10 * info.width + 10) * info.channels]).toBeGreaterThan(150);
    const text = bytes.toString('latin1');
    for (const identifier of identifiers(consented)) expect(text, identifier).not.toContain(identifier);
    expect(text).not.toMatch(DATE_STRING);
    for (const name of [basename(result.folder), file!]) for (const identifier of identifiers(consented)) expect(name).not.toContain(identifier);
  });

  it('writes a manifest of teaching facts only: site, view, skin type, coded diagnosis', async () => {
    const [folder] = exportFolders();
    const raw = readFileSync(join(exportDir, folder!, 'manifest.json'), 'utf8');
    const manifest = teachingManifestSchema.parse(JSON.parse(raw));
    expect(manifest.images).toHaveLength(1);
    expect(manifest.images[0]).toMatchObject({ view: consented.images[1]!.view, width: 400, height: 600, diagnosis: { snomedCt: '400096001', display: 'Melanocytic naevus' } });
    expect(manifest.images[0]!.bodySite).toBeTruthy();
    for (const identifier of [...identifiers(consented), 'worried', 'pat-', 'ref-', 'media-', 'bin-', 'consultant-']) expect(raw, identifier).not.toContain(identifier);
    expect(raw).not.toMatch(DATE_STRING);
  });

  it('refuses a referral whose patient did not consent to teaching, saying why, and fetches and writes nothing', async () => {
    const fetchesBefore = hub.requests.filter((r) => r.includes('/Binary/')).length;
    const foldersBefore = exportFolders();
    const result = await desk.handlers['teaching.export']({ referralId: refused.referralId, imageIds: [refused.images[0]!.imageId] });
    expect(result).toEqual({ state: 'refused', reason: expect.stringMatching(/^Not exported for teaching: the patient did not consent/) as string });
    expect(exportFolders()).toEqual(foldersBefore);
    expect(hub.requests.filter((r) => r.includes('/Binary/')).length).toBe(fetchesBefore);
  });

  it('refuses once the consent is withdrawn on the server, before the desk has synced it', async () => {
    const id = `consent-${consented.referralId.replace(/^ref-/, '')}-teaching-use`;
    const current = (await (await fetch(`${hub.baseUrl}/Consent/${id}`, { headers })).json()) as Consent;
    const withdrawn: Consent = { ...current, provision: { ...current.provision, type: 'deny' } };
    expect((await fetch(`${hub.baseUrl}/Consent/${id}`, { method: 'PUT', headers, body: JSON.stringify(withdrawn) })).status).toBe(200);
    // The cache still says yes; the server's word is the one that counts.
    expect((await desk.handlers['case.open']({ referralId: consented.referralId })).consents.find((c) => c.kind === 'teaching-use')?.permitted).toBe(true);
    const foldersBefore = exportFolders();
    const result = await desk.handlers['teaching.export']({ referralId: consented.referralId, imageIds: [consented.images[0]!.imageId] });
    expect(result.state === 'refused' && result.reason).toMatch(/did not consent/);
    expect(exportFolders()).toEqual(foldersBefore);
  });

  it('audits each export and each refusal without naming the patient', async () => {
    const { entries, chain } = await desk.handlers['audit.report']({ limit: 1000 });
    expect(chain.intact).toBe(true);
    const teaching = entries.filter((e) => e.action.startsWith('teaching.')).reverse();
    expect(teaching.map((e) => [e.action, e.subject])).toEqual([
      ['teaching.exported', consented.referralId],
      ['teaching.refused', refused.referralId],
      ['teaching.refused', consented.referralId],
    ]);
    expect(teaching[0]!.detail).toMatch(new RegExp(`^1 anonymised image \\(${consented.images[1]!.imageId}\\) to teaching-[0-9a-f]{16}$`));
    expect(teaching[1]!.detail).toMatch(/did not consent/);
    for (const entry of teaching) {
      for (const identifier of [consented.patientName, consented.nhsNumber, refused.patientName, refused.nhsNumber]) expect(entry.detail).not.toContain(identifier);
    }
  });
});
