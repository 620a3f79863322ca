/**
 * Rows for the cache's tables as one flat list of the values SQLite stores: each row is its
 * table's index in CACHE_TABLES, then its values in ROW_FIELDS order. The case store binds them
 * by position as they stand, and they travel to the cache writer's thread as they are (one
 * array of plain values: postMessage copies an object property by property). Bound by name,
 * each value looked up in an object, the benchmark's 12,427 resources took 215 against 183 ms to
 * write a page a transaction (one thread, medians of 10).
 */
import { CACHE_TABLES, ROW_FIELDS, type CacheRecord, type CacheTable } from '../fhir/case-mapping';

/** What better-sqlite3 binds; SQLite has no booleans, so they are stored as 1 and 0. */
export type SqlValue = string | number | bigint | Buffer | null;

export type CacheRows = SqlValue[];

const TABLE_INDEX = new Map(CACHE_TABLES.map((table, index) => [table, index]));

const sqlValue = (value: unknown): SqlValue => (typeof value === 'boolean' ? (value ? 1 : 0) : (value as SqlValue));

/** The records' rows, in order. */
export function cacheRows(records: readonly CacheRecord[]): CacheRows {
  const rows: CacheRows = [];
  for (const { table, row } of records) {
    rows.push(TABLE_INDEX.get(table) as number);
    const values = row as unknown as Record<string, unknown>;
    for (const field of ROW_FIELDS[table]) rows.push(sqlValue(values[field]));
  }
  return rows;
}

/** Calls `visit` with each row's table and values (the id first: ROW_FIELDS says so for every table). */
export function eachRow(rows: CacheRows, visit: (table: CacheTable, values: SqlValue[]) => void): void {
  for (let at = 0; at < rows.length; ) {
    const table = CACHE_TABLES[rows[at] as number] as CacheTable;
    const width = ROW_FIELDS[table].length;
    visit(table, rows.slice(at + 1, at + 1 + width));
    at += 1 + width;
  }
}

/** The rows for which `keep(table, id)` holds, in order. */
export function rowsWhere(rows: CacheRows, keep: (table: CacheTable, id: string) => boolean): CacheRows {
  const kept: CacheRows = [];
  eachRow(rows, (table, values) => {
    if (keep(table, values[0] as string)) kept.push(TABLE_INDEX.get(table) as number, ...values);
  });
  return kept;
}
