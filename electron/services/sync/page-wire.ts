/**
 * How a page travels to the cache writer's thread: its rows and versions as flat lists of plain
 * values instead of an object per row and per version. postMessage copies an object property
 * by property, and the thread builds each one again the same way. For the benchmark's 12,427
 * resources, one thread alone (medians of 30): sorting the pages and sending them 92-95 against
 * 77-84 ms; receiving them 70-73 against 42-43 ms. Quarantined resources are few and go as they are.
 */
import { CACHE_TABLES, ROW_FIELDS, type CacheRecord, type CacheTable } from '../fhir/case-mapping';
import type { PageIngest, SeenVersion } from '../db/sync-ledger';

export interface PackedPage {
  /** How many resources the page brings (its versions): the thread sizes its transactions by it. */
  resources: number;
  /** For each row: its table's index in CACHE_TABLES, then its values in ROW_FIELDS order. */
  rows: unknown[];
  /** For each version: resource type, id, versionId, lastUpdated. */
  versions: (string | null)[];
  problems: PageIngest['problems'];
}

const TABLE_INDEX = new Map(CACHE_TABLES.map((table, index) => [table, index]));

export function packPage(page: PageIngest): PackedPage {
  const rows: unknown[] = [];
  for (const { table, row } of page.records) {
    rows.push(TABLE_INDEX.get(table));
    const values = row as unknown as Record<string, unknown>;
    for (const field of ROW_FIELDS[table]) rows.push(values[field]);
  }
  const versions: (string | null)[] = [];
  for (const v of page.seen) versions.push(v.resourceType, v.id, v.versionId, v.lastUpdated);
  return { resources: page.seen.length, rows, versions, problems: page.problems };
}

/** The page as packed. Both ends are this program's own code in one process: the types are the check. */
export function unpackPage(packed: PackedPage): PageIngest {
  const records: CacheRecord[] = [];
  const { rows } = packed;
  for (let at = 0; at < rows.length; ) {
    const table = CACHE_TABLES[rows[at] as number] as CacheTable;
    const row: Record<string, unknown> = {};
    at += 1;
    for (const field of ROW_FIELDS[table]) row[field] = rows[at++];
    records.push({ table, row } as unknown as CacheRecord);
  }
  const seen: SeenVersion[] = [];
  const { versions } = packed;
  for (let at = 0; at < versions.length; at += 4) {
    seen.push({ resourceType: versions[at] as string, id: versions[at + 1] as string, versionId: versions[at + 2] ?? null, lastUpdated: versions[at + 3] ?? null });
  }
  return { records, seen, problems: packed.problems };
}
