/**
 * How a page travels to the cache writer's thread: its rows already flat (cache-rows.ts), its
 * versions flat too, four values each. postMessage copies an object property by property and
 * the thread would build each one again the same way; a list of plain values it copies whole.
 * Quarantined resources are few and go as they are.
 */
import type { CacheRows } from '../db/cache-rows';
import type { PageIngest, SeenVersion } from '../db/sync-ledger';

export interface PackedPage {
  /** How many resources the page brings (its versions): the thread sizes its transactions by it. */
  resources: number;
  rows: CacheRows;
  /** For each version: resource type, id, versionId, lastUpdated. */
  versions: (string | null)[];
  problems: PageIngest['problems'];
  sentElsewhere: NonNullable<PageIngest['sentElsewhere']>;
}

export function packPage(page: PageIngest): PackedPage {
  const versions: (string | null)[] = [];
  for (const v of page.seen) versions.push(v.resourceType, v.id, v.versionId, v.lastUpdated);
  return { resources: page.seen.length, rows: page.rows, versions, problems: page.problems, sentElsewhere: page.sentElsewhere ?? [] };
}

/** The page as packed. Both ends are this program's own code in one process: the types are the check. */
export function unpackPage(packed: PackedPage): PageIngest {
  const seen: SeenVersion[] = [];
  const { versions } = packed;
  for (let at = 0; at < versions.length; at += 4) {
    seen.push({ resourceType: versions[at] as string, id: versions[at + 1] as string, versionId: versions[at + 2] ?? null, lastUpdated: versions[at + 3] ?? null });
  }
  return { rows: packed.rows, seen, problems: packed.problems, ...(packed.sentElsewhere.length > 0 ? { sentElsewhere: packed.sentElsewhere } : {}) };
}
