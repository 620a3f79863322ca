import { describe, expect, expectTypeOf, it } from 'vitest';
import { generateDemoData } from '../../electron/hub/generator/referral-cases';
import { CACHE_TABLE, CASE_RESOURCE_TYPES, ROW_FIELDS, type CacheTable, type RowOf } from '../../electron/services/fhir/case-mapping';
import { sortPage } from '../../electron/services/sync/pull-sync';
import { packPage, unpackPage } from '../../electron/services/sync/page-wire';

describe('a page on its way to the cache writer', () => {
  it('lists every field of every row type, so none is lost on the way', () => {
    type Unlisted = { [T in CacheTable]: Exclude<keyof RowOf<T>, (typeof ROW_FIELDS)[T][number]> }[CacheTable];
    expectTypeOf<Unlisted>().toEqualTypeOf<never>();
    expect(Object.keys(ROW_FIELDS).sort()).toEqual([...new Set(Object.values(CACHE_TABLE))].sort());
  });

  it('arrives as it was sent: every table, versions without a versionId or time, quarantined resources', () => {
    const { resources } = generateDemoData({ cases: 4, seed: 3, now: new Date('2026-11-25T12:00:00Z') });
    const sent = [
      ...resources.filter((r) => (CASE_RESOURCE_TYPES as readonly string[]).includes(r.resourceType)),
      { resourceType: 'Task', id: 'task-unversioned', status: 'requested', focus: { reference: 'ServiceRequest/ref-0001' } },
      { resourceType: 'Task', id: 'task-unreadable', status: 'requested', focus: { reference: 'Patient/p1' }, meta: { versionId: '2' } },
    ];
    const page = sortPage({ servedAt: null, resources: sent, texts: sent.map((r) => JSON.stringify(r)) }, { alreadyHeld: () => new Set() });
    const ingest = { records: page.records, seen: page.seen, problems: page.problems };
    expect(new Set(ingest.records.map((r) => r.table))).toEqual(new Set(Object.keys(ROW_FIELDS)));
    expect(ingest.seen.find((v) => v.id === 'task-unversioned')).toMatchObject({ versionId: null, lastUpdated: null });
    expect(ingest.problems.map((p) => p.id)).toEqual(['task-unreadable']);

    // As postMessage copies it.
    const packed = structuredClone(packPage(ingest));
    expect(packed.resources).toBe(sent.length);
    expect(unpackPage(packed)).toEqual(ingest);
  });
});
