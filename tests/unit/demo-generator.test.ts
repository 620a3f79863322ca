import type { Media, Patient, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { isValidNhsNumber } from '../../shared/domain/nhs-number';
import { generateDemoData } from '../../electron/hub/generator/referral-cases';

const now = new Date('2026-11-25T12:00:00Z');
const ofType = <T extends Resource>(resources: Resource[], type: T['resourceType']): T[] =>
  resources.filter((r): r is T => r.resourceType === type);

describe('demo case generator', () => {
  const { resources, images } = generateDemoData({ cases: 60, seed: 7, now });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateDemoData({ cases: 60, seed: 7, now }).resources).toEqual(resources);
    expect(generateDemoData({ cases: 60, seed: 8, now }).resources).not.toEqual(resources);
  });

  it('makes every resource a case needs', () => {
    for (const type of ['Patient', 'ServiceRequest', 'Task', 'QuestionnaireResponse'] as const) {
      expect(ofType(resources, type)).toHaveLength(60);
    }
    expect(ofType(resources, 'Consent')).toHaveLength(180);
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

  it('gives each case 3 to 5 images, distant, close-up and dermoscopic among them, of 3 to 12 megapixels', () => {
    const media = ofType<Media>(resources, 'Media');
    const byCase = new Map<string, Media[]>();
    for (const m of media) {
      const key = m.basedOn?.[0]?.reference ?? '';
      byCase.set(key, [...(byCase.get(key) ?? []), m]);
    }
    expect(byCase.size).toBe(60);
    for (const list of byCase.values()) {
      expect(list.length).toBeGreaterThanOrEqual(3);
      expect(list.length).toBeLessThanOrEqual(5);
      expect(new Set(list.map((m) => m.view?.coding?.[0]?.code))).toEqual(new Set(['distant', 'close-up', 'dermoscopic']));
      for (const m of list) {
        const megapixels = ((m.width ?? 0) * (m.height ?? 0)) / 1e6;
        expect(megapixels).toBeGreaterThanOrEqual(3);
        expect(megapixels).toBeLessThanOrEqual(12);
        expect(images.has(m.content?.url?.replace('Binary/', '') ?? '')).toBe(true);
      }
    }
  });

  it('dates every referral before now', () => {
    for (const r of ofType(resources, 'ServiceRequest')) {
      expect(Date.parse((r as { authoredOn: string }).authoredOn)).toBeLessThanOrEqual(now.getTime());
    }
  });
});
