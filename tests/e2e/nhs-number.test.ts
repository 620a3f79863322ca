/**
 * An NHS number that fails its check digit, as the consultant meets it: shown as sent (never
 * hidden or "corrected"), and flagged in the queue and on the patient banner.
 */
import type { Patient, ServiceRequest } from '@medplum/fhirtypes';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../shared/domain/nhs-number';
import { launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';
import { hubFhir } from '../support/hub-fhir';

const DOCS = resolve(__dirname, '../../docs');
const REFERRAL = 'ref-0002';
const NHS_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
let session: BrowserDesk;
let mistyped = '';

const fhir = hubFhir(() => session.hub);

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 6, viewport: { width: 1280, height: 800 } });
  const request = await fhir<ServiceRequest>(`ServiceRequest/${REFERRAL}`);
  const patientId = request.subject?.reference?.split('/')[1] ?? '';
  const patient = await fhir<Patient>(`Patient/${patientId}`);
  const valid = patient.identifier?.find((i) => i.system === NHS_SYSTEM)?.value ?? '';
  // One digit mistyped: the check digit no longer fits.
  mistyped = `${valid.slice(0, 9)}${(Number(valid[9]) + 1) % 10}`;
  await fhir(`Patient/${patientId}`, { ...patient, identifier: patient.identifier?.map((i) => (i.system === NHS_SYSTEM ? { ...i, value: mistyped } : i)) });
  await openAtQueue(session);
});

afterAll(async () => {
  await session?.close();
});

describe('an NHS number that fails its check digit', () => {
  it('is shown as sent and flagged, in the queue and on the banner', async () => {
    expect(isValidNhsNumber(mistyped)).toBe(false);
    const { page } = session;
    const queue = await session.desk.handlers['queue.list'](undefined);
    const index = queue.findIndex((r) => r.referralId === REFERRAL);
    expect(queue[index]?.nhsNumber).toBe(mistyped);
    const row = page.locator('table.queue tbody tr').nth(index);
    const cell = row.locator('td.nhs.invalid');
    expect(await cell.textContent()).toBe(`✗ ${mistyped.slice(0, 3)} ${mistyped.slice(3, 6)} ${mistyped.slice(6)} Not valid`);
    expect(await cell.getAttribute('title')).toMatch(/fails its check digit/);
    // Marked within the column, never cut off; only that row is flagged.
    expect(await cell.evaluate((td) => td.scrollWidth <= td.clientWidth)).toBe(true);
    expect(await page.locator('table.queue td.nhs.invalid').count()).toBe(1);

    for (let i = 0; i < index; i++) await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    const banner = page.locator('.patient-banner');
    await banner.waitFor();
    expect(await banner.locator('.nhs').textContent()).toBe(`${mistyped.slice(0, 3)} ${mistyped.slice(3, 6)} ${mistyped.slice(6)}`);
    expect(await banner.getByRole('alert').textContent()).toBe('Not a valid NHS number: confirm who this is before acting');
    await page.screenshot({ path: join(DOCS, 'nhs-invalid.png') });
    expect(session.pageErrors).toEqual([]);
  });
});
