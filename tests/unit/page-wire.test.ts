import { describe, expect, expectTypeOf, it } from 'vitest';
import { generateDemoData } from '../../electron/hub/generator/referral-cases';
import { CACHE_TABLE, CASE_RESOURCE_TYPES, ROW_FIELDS, type CacheRecord, type CacheTable, type RowOf } from '../../electron/services/fhir/case-mapping';
import { cacheRows, eachRow, rowsWhere, type CacheRows } from '../../electron/services/db/cache-rows';
import { sortPage } from '../../electron/services/sync/sorted-page';
import { packPage, unpackPage } from '../../electron/services/sync/page-wire';

/** The rows as records again, booleans as SQLite holds them (1 and 0). */
function recordsOf(rows: CacheRows): { table: CacheTable; row: Record<string, unknown> }[] {
  const records: { table: CacheTable; row: Record<string, unknown> }[] = [];
  eachRow(rows, (table, values) => records.push({ table, row: Object.fromEntries(ROW_FIELDS[table].map((field, at) => [field, values[at]])) }));
  return records;
}

const asStored = (records: readonly CacheRecord[]) =>
  records.map(({ table, row }) => ({ table, row: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v])) }));

function demoPage() {
  const { resources } = generateDemoData({ cases: 4, seed: 3, now: new Date('2026-11-25T12:00:00Z') });
  const sent = [
    ...resources.filter((r) => (CASE_RESOURCE_TYPES as readonly string[]).includes(r.resourceType)),
    { resourceType: 'Task', id: 'task-unversioned', status: 'requested', focus: { reference: 'ServiceRequest/ref-0001' } },
    { resourceType: 'Task', id: 'task-unreadable', status: 'requested', focus: { reference: 'Patient/p1' }, meta: { versionId: '2' } },
  ];
  return { sent, page: sortPage({ servedAt: null, answeredAt: null, resources: sent, texts: sent.map((r) => JSON.stringify(r)) }, { alreadyHeld: () => new Set() }) };
}

describe('rows on their way to the cache', () => {
  it('lists every field of every row type, so none is lost on the way', () => {
    type Unlisted = { [T in CacheTable]: Exclude<keyof RowOf<T>, (typeof ROW_FIELDS)[T][number]> }[CacheTable];
    expectTypeOf<Unlisted>().toEqualTypeOf<never>();
    expect(Object.keys(ROW_FIELDS).sort()).toEqual([...new Set(Object.values(CACHE_TABLE))].sort());
  });

  it('holds every field of every record, in order, booleans as 1 and 0', () => {
    const { page } = demoPage();
    expect(new Set(page.records.map((r) => r.table))).toEqual(new Set(Object.keys(ROW_FIELDS)));
    expect(page.records.some((r) => r.table === 'consent' && r.row.permitted) && page.records.some((r) => r.table === 'consent' && !r.row.permitted)).toBe(true);
    expect(recordsOf(cacheRows(page.records))).toEqual(asStored(page.records));
  });

  it('keeps the rows asked for, in order', () => {
    const { page } = demoPage();
    const notConsents = rowsWhere(cacheRows(page.records), (table) => table !== 'consent');
    expect(recordsOf(notConsents)).toEqual(asStored(page.records.filter((r) => r.table !== 'consent')));
    const oneTask = page.records.find((r) => r.table === 'review_task')!;
    expect(recordsOf(rowsWhere(cacheRows(page.records), (table, id) => table === 'review_task' && id === oneTask.row.id))).toEqual(asStored([oneTask]));
  });

  it('arrive at the writer thread as sent: rows, versions without a versionId or time, quarantined resources', () => {
    const { sent, page } = demoPage();
    const ingest = { rows: cacheRows(page.records), seen: page.seen, problems: page.problems };
    expect(ingest.seen.find((v) => v.id === 'task-unversioned')).toMatchObject({ versionId: null, lastUpdated: null });
    expect(ingest.problems.map((p) => p.id)).toEqual(['task-unreadable']);

    // As postMessage copies it.
    const packed = structuredClone(packPage(ingest));
    expect(packed.resources).toBe(sent.length);
    expect(unpackPage(packed)).toEqual(ingest);
  });

  it('carry the referrals the page found sent to another service', () => {
    const { page } = demoPage();
    const ingest = { rows: cacheRows(page.records), seen: page.seen, problems: page.problems, sentElsewhere: [{ referralId: 'ref-0001', to: 'HealthcareService/ent' }] };
    expect(unpackPage(structuredClone(packPage(ingest)))).toEqual(ingest);
  });
});
