import type { DocumentReference, HealthcareService, Media, Patient, Resource, ServiceRequest, Task } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../shared/domain/nhs-number';
import { EARLIER_CASE_EVERY, generateDemoData, NO_DERMOSCOPY_EVERY } from '../../electron/hub/generator/referral-cases';
import { DEMO_SERVICE, OTHER_REFERRALS_PER_CASE, OTHER_SERVICES, UNREFERRED_PATIENTS_PER_CASE } from '../../electron/hub/generator/shared-server';

const now = new Date('2026-11-25T12:00:00Z');
const ofType = <T extends Resource>(resources: Resource[], type: T['resourceType']): T[] =>
  resources.filter((r): r is T => r.resourceType === type);

describe('demo case generator: the teledermatology cases', () => {
  // The rest of the shared server is left out here (and tested below).
  const { resources, images } = generateDemoData({ cases: 60, otherReferrals: 0, unreferredPatients: 0, seed: 7, now });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateDemoData({ cases: 60, otherReferrals: 0, unreferredPatients: 0, seed: 7, now }).resources).toEqual(resources);
    expect(generateDemoData({ cases: 60, otherReferrals: 0, unreferredPatients: 0, seed: 8, now }).resources).not.toEqual(resources);
  });

  // Every seventh patient also has an earlier referral: 60 + 8.
  const referrals = 60 + Math.floor(60 / EARLIER_CASE_EVERY);

  it('makes every resource a case needs', () => {
    expect(ofType(resources, 'Patient')).toHaveLength(60);
    for (const type of ['ServiceRequest', 'Task', 'QuestionnaireResponse'] as const) {
      expect(ofType(resources, type)).toHaveLength(referrals);
    }
    expect(ofType(resources, 'Consent')).toHaveLength(referrals * 3);
    expect(ofType(resources, 'Organization').length).toBeGreaterThan(0);
    expect(ofType(resources, 'Practitioner').length).toBeGreaterThan(0);
  });

  it('uses only valid NHS numbers from the 999 test range', () => {
    for (const p of ofType<Patient>(resources, 'Patient')) {
      const nhs = p.identifier?.[0]?.value ?? '';
      expect(nhs.startsWith('999')).toBe(true);
      expect(isValidNhsNumber(nhs)).toBe(true);
    }
  });

  it('gives each referral 3 to 5 images, distant, close-up and dermoscopic among them, of 3 to 12 megapixels', () => {
    // Images come as Media or, for some referrals, as DocumentReference.
    const pictures = [
      ...ofType<Media>(resources, 'Media').map((m) => ({ referral: m.basedOn?.[0]?.reference, view: m.view?.coding?.[0]?.code, url: m.content.url })),
      ...ofType<DocumentReference>(resources, 'DocumentReference').map((d) => ({
        referral: d.context?.related?.[0]?.reference, view: d.type?.coding?.[0]?.code, url: d.content[0]?.attachment.url,
      })),
    ];
    const byReferral = new Map<string, typeof pictures>();
    for (const p of pictures) byReferral.set(p.referral ?? '', [...(byReferral.get(p.referral ?? '') ?? []), p]);
    expect(byReferral.size).toBe(referrals);
    expect(ofType(resources, 'DocumentReference').length).toBeGreaterThan(0);
    for (const list of byReferral.values()) {
      expect(list.length).toBeGreaterThanOrEqual(3);
      expect(list.length).toBeLessThanOrEqual(5);
      // Every eleventh referral arrives without dermoscopy, as real ones sometimes do.
      const key = Number(/ref-(\d{4})$/.exec(list[0]?.referral ?? '')?.[1] ?? Number.NaN); // earlier referrals are complete
      const expected = key % NO_DERMOSCOPY_EVERY === 0 ? ['distant', 'close-up'] : ['distant', 'close-up', 'dermoscopic'];
      expect(new Set(list.map((p) => p.view))).toEqual(new Set(expected));
      for (const p of list) {
        const recipe = images.get(p.url?.replace('Binary/', '') ?? '');
        expect(recipe).toBeDefined();
        const megapixels = ((recipe?.width ?? 0) * (recipe?.height ?? 0)) / 1e6;
        expect(megapixels).toBeGreaterThanOrEqual(3);
        expect(megapixels).toBeLessThanOrEqual(12);
      }
    }
  });

  it('links earlier referrals to the same patient, finished and months older', () => {
    const byId = new Map(ofType<ServiceRequest>(resources, 'ServiceRequest').map((r) => [r.id, r]));
    const earlier = [...byId.values()].filter((r) => r.id?.endsWith('-e'));
    expect(earlier).toHaveLength(8);
    for (const e of earlier) {
      const current = byId.get(e.id?.replace(/-e$/, ''));
      expect(e.subject?.reference).toBe(current?.subject?.reference);
      expect(e.status).toBe('completed');
      expect(Date.parse(current?.authoredOn ?? '') - Date.parse(e.authoredOn ?? '')).toBeGreaterThan(80 * 86_400_000);
    }
  });

  it('dates every referral before now', () => {
    for (const r of ofType(resources, 'ServiceRequest')) {
      expect(Date.parse((r as { authoredOn: string }).authoredOn)).toBeLessThanOrEqual(now.getTime());
    }
  });
});

describe('demo case generator: a shared trust server', () => {
  const { resources } = generateDemoData({ cases: 20, seed: 5, now });
  const referrals = ofType<ServiceRequest>(resources, 'ServiceRequest');
  const toService = (r: ServiceRequest): string | undefined => r.performer?.[0]?.reference;

  it("addresses every teledermatology referral to the service, and holds five times as many for other services", () => {
    const derm = referrals.filter((r) => toService(r) === DEMO_SERVICE);
    expect(derm).toHaveLength(20 + Math.floor(20 / EARLIER_CASE_EVERY));
    const others = referrals.filter((r) => toService(r) !== DEMO_SERVICE);
    expect(others).toHaveLength(20 * OTHER_REFERRALS_PER_CASE);
    expect(new Set(others.map(toService))).toEqual(new Set(OTHER_SERVICES.map((s) => `HealthcareService/${s.id}`)));
    const services = new Set(ofType<HealthcareService>(resources, 'HealthcareService').map((s) => `HealthcareService/${s.id}`));
    expect([...new Set(referrals.map(toService))].every((s) => services.has(s ?? ''))).toBe(true);
  });

  it("gives other services' referrals a patient, a questionnaire and a review task the service owns", () => {
    const others = referrals.filter((r) => toService(r) !== DEMO_SERVICE);
    const tasks = new Map(ofType<Task>(resources, 'Task').map((t) => [t.focus?.reference, t]));
    const patients = new Set(ofType<Patient>(resources, 'Patient').map((p) => `Patient/${p.id}`));
    for (const referral of others) {
      expect(tasks.get(`ServiceRequest/${referral.id}`)?.owner?.reference).toBe(toService(referral));
      expect(patients.has(referral.subject.reference ?? '')).toBe(true);
    }
  });

  it('holds patients never referred, ten for each case, all with test-range NHS numbers', () => {
    const referred = new Set(referrals.map((r) => r.subject.reference));
    const unreferred = ofType<Patient>(resources, 'Patient').filter((p) => !referred.has(`Patient/${p.id}`));
    expect(unreferred).toHaveLength(20 * UNREFERRED_PATIENTS_PER_CASE);
    expect(unreferred.every((p) => isValidNhsNumber(p.identifier?.[0]?.value ?? '') && p.identifier?.[0]?.value?.startsWith('999'))).toBe(true);
  });
});
