/** Every resource version a cache holds, by "Type/id": its case rows, then its quarantined resources (newer where both). */
import { CACHE_TABLE } from '../../electron/services/fhir/case-mapping';
import type { Db } from '../../electron/services/db/connection';

export function heldVersions(db: Db): Map<string, string | null> {
  const held = new Map<string, string | null>();
  // Images are of two types, and say which; every other table holds one.
  const queries = new Set(Object.entries(CACHE_TABLE).map(([type, table]) => `SELECT ${table === 'image' ? 'resource_type' : `'${type}'`} AS type, id, version_id AS version FROM ${table}`));
  for (const sql of [...queries, 'SELECT resource_type AS type, id, version_id AS version FROM sync_problem']) {
    for (const row of db.prepare(sql).all() as { type: string; id: string; version: string | null }[]) held.set(`${row.type}/${row.id}`, row.version);
  }
  return held;
}
