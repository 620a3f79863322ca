/**
 * Hostile text from the server is only ever text. A corpus of script-injection payloads goes
 * into every free-text field of one demo referral on the hub (patient name, GP and practice,
 * reason, question, lesion site, image site, questionnaire answer); the desk syncs it and the
 * production renderer shows it in Chromium. Nothing runs, no element is injected, and the
 * payloads read back literally.
 */
import type { Resource } from '@medplum/fhirtypes';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowserDesk, openAtQueue, type BrowserDesk } from '../support/browser-carrier';
import { hubFhir } from '../support/hub-fhir';

/** Each sets window.__xss if it ever runs. */
const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=2</script>',
  '"><svg onload="window.__xss=3">',
  '<iframe srcdoc="<script>parent.__xss=4</script>"></iframe>',
  "javascript:window.__xss=5//",
  '{{constructor.constructor("window.__xss=6")()}}',
  '<a href="javascript:window.__xss=7">x</a>',
];
const REFERRAL = 'ref-0003';
let session: BrowserDesk;

const fhir = hubFhir(() => session.hub);

beforeAll(async () => {
  session = await launchBrowserDesk({ cases: 12 });
  const request = await fhir<Resource & { resourceType: 'ServiceRequest' }>(`ServiceRequest/${REFERRAL}`);
  const patientId = request.subject?.reference?.split('/')[1] ?? '';
  const gpId = request.requester?.reference?.split('/')[1] ?? '';
  const patient = await fhir<Resource & { resourceType: 'Patient' }>(`Patient/${patientId}`);
  const practiceId = patient.generalPractitioner?.[0]?.reference?.split('/')[1] ?? '';
  const [p0, p1, p2, p3, p4, p5, p6] = PAYLOADS as [string, string, string, string, string, string, string];

  await fhir(`Patient/${patientId}`, { ...patient, name: [{ family: p0, given: [p1] }] });
  const gp = await fhir<Resource & { resourceType: 'Practitioner' }>(`Practitioner/${gpId}`);
  await fhir(`Practitioner/${gpId}`, { ...gp, name: [{ prefix: [p2], given: [p3], family: p4 }] });
  const practice = await fhir<Resource & { resourceType: 'Organization' }>(`Organization/${practiceId}`);
  await fhir(`Organization/${practiceId}`, { ...practice, name: p5 });
  await fhir(`ServiceRequest/${REFERRAL}`, {
    ...request, reasonCode: [{ text: p6 }], note: [{ text: PAYLOADS.join(' ') }], bodySite: [{ text: `Left forearm ${p0}` }],
  });
  const answers = await fhir<Resource & { resourceType: 'QuestionnaireResponse' }>(`QuestionnaireResponse/qr-0003`);
  await fhir(`QuestionnaireResponse/qr-0003`, {
    ...answers, item: answers.item?.map((item, i) => (i === 0 ? { ...item, answer: [{ valueString: p1 }] } : item)),
  });

  await openAtQueue(session);
});

afterAll(async () => {
  await session?.close();
});

describe('hostile text in every free-text field', () => {
  it('renders as inert text in the queue and the case, and nothing runs', async () => {
    const { page } = session;
    const queue = await session.desk.handlers['queue.list'](undefined);
    const index = queue.findIndex((r) => r.referralId === REFERRAL);
    for (let i = 0; i < index; i++) await page.keyboard.press('j');
    await page.locator(`table.queue tr[aria-selected="true"][data-referral-id="${REFERRAL}"]`).waitFor();
    // The queue shows the surname in capitals, as text.
    expect(await page.locator('tr[aria-selected="true"] .patient-name').textContent()).toContain(PAYLOADS[0]!.toUpperCase());

    await page.keyboard.press('Enter');
    await page.locator('.outcome-panel').waitFor();
    const text = (await page.locator('#root').textContent()) ?? '';
    // The banner and every field read back literally.
    expect(await page.locator('.patient-banner .patient-name').textContent()).toContain(PAYLOADS[0]!.toUpperCase());
    for (const payload of PAYLOADS) expect(text, payload).toContain(payload);

    // The payloads are on screen as text, so any element they could inject would be in the page
    // by now: there is none, so nothing can run later either. Nothing has run meanwhile.
    for (const selector of ['#root script', '#root iframe', '#root svg[onload]', '#root img[src="x"]', '#root [onerror]', '#root a[href^="javascript"]']) {
      expect(await page.locator(selector).count(), selector).toBe(0);
    }
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    await page.screenshot({ path: resolve(__dirname, '../../docs/hostile-text.png') });
    expect(session.pageErrors).toEqual([]);
  });
});
