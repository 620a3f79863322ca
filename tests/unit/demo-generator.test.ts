import type { DocumentReference, Media, Patient, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../shared/domain/nhs-number';
import { EARLIER_CASE_EVERY, generateDemoData, NO_DERMOSCOPY_EVERY } from '../../electron/hub/generator/referral-cases';

const now = new Date('2026-11-25T12:00:00Z');
const ofType = <T extends Resource>(resources: Resource[], type: T['resourceType']): T[] =>
  resources.filter((r): r is T => r.resourceType === type);

describe('demo case generator', () => {
  const { resources, images } = generateDemoData({ cases: 60, seed: 7, now });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateDemoData({ cases: 60, seed: 7, now }).resources).toEqual(resources);
    expect(generateDemoData({ cases: 60, seed: 8, now }).resources).not.toEqual(resources);
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
