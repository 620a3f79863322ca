/**
 * What sync has seen: each resource's version (to skip repeats), held on its cache row, and the
 * resources it could not read (quarantined with a reason and their version). A page is ingested
 * in one transaction: its rows and its problems together, so a killed process leaves either all
 * of a page or none.
 */
import type { SyncProblem } from '../../../shared/domain/sync-status';
import { CACHE_TABLE, CACHE_TABLES, CASE_RESOURCE_TYPES, type CacheTable, type CaseResourceType } from '../fhir/case-mapping';
import { rowsWhere, type CacheRows } from './cache-rows';
import type { CaseStore } from './case-store';
import type { Db } from './connection';

export interface SeenVersion {
  resourceType: string;
  id: string;
  versionId: string | null;
  lastUpdated: string | null;
}

export interface Quarantined extends SeenVersion {
  reason: string;
  raw: string;
}

export interface PageIngest {
  /** The rows of the readable new versions (cacheRows). */
  rows: CacheRows;
  /** Versions now held, readable or not. */
  seen: SeenVersion[];
  problems: Quarantined[];
  /** Referrals held that the server now addresses to another service: marked so in the page's transaction. */
  sentElsewhere?: { referralId: string; to: string }[];
}

export interface SyncLedger {
  /** Of these versions, the ones already held (or quarantined), as "Type/id" keys: one query a table a page. */
  alreadyHeld: (versions: readonly SeenVersion[]) => Set<string>;
  /** No version is held yet (a first sync): nothing can be a repeat, so there is nothing to look up. */
  holdsNothing: () => boolean;
  ingest: (page: PageIngest) => void;
  problems: () => SyncProblem[];
  problemCount: () => number;
}

/** versionId decides when the server gives one; otherwise lastUpdated does; with neither, never the same. */
export function isSameVersion(held: SeenVersion, incoming: SeenVersion): boolean {
  if (incoming.versionId !== null) return held.versionId === incoming.versionId;
  return incoming.lastUpdated !== null && held.lastUpdated === incoming.lastUpdated;
}

/**
 * An incoming version stamped earlier than the one held: a page fetched before a newer write
 * (a claim made meanwhile) must not undo it. Compared as instants, since offsets differ.
 */
export function isOlderThanHeld(held: SeenVersion, incoming: SeenVersion): boolean {
  if (held.lastUpdated === null || incoming.lastUpdated === null) return false;
  const heldAt = Date.parse(held.lastUpdated);
  const incomingAt = Date.parse(incoming.lastUpdated);
  return !Number.isNaN(heldAt) && !Number.isNaN(incomingAt) && incomingAt < heldAt;
}

const keyOf = (v: Pick<SeenVersion, 'resourceType' | 'id'>): string => `${v.resourceType}/${v.id}`;

/** Raw text of a quarantined resource is kept for diagnosis, but not without bound. */
const MAX_RAW_CHARS = 64 * 1024;

/** The resource types each cache table holds (Media and DocumentReference share one). */
const TYPES_IN_TABLE = new Map<CacheTable, CaseResourceType[]>();
for (const type of CASE_RESOURCE_TYPES) TYPES_IN_TABLE.set(CACHE_TABLE[type], [...(TYPES_IN_TABLE.get(CACHE_TABLE[type]) ?? []), type]);

/** The cache table of a resource type the server sent; none for a type no case is made of. */
const tableOf = (resourceType: string): CacheTable | undefined =>
  Object.hasOwn(CACHE_TABLE, resourceType) ? CACHE_TABLE[resourceType as CaseResourceType] : undefined;

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A resource's version as sync reads it: text or nothing, whatever the server put there. */
export function versionOf(resource: unknown): SeenVersion {
  const m = (resource ?? {}) as { resourceType?: unknown; id?: unknown; meta?: { versionId?: unknown; lastUpdated?: unknown } };
  return {
    resourceType: text(m.resourceType) ?? 'unknown',
    id: text(m.id)?.slice(0, 64) ?? '(no id)',
    versionId: text(m.meta?.versionId),
    lastUpdated: text(m.meta?.lastUpdated),
  };
}

export function createSyncLedger(db: Db, cases: CaseStore): SyncLedger {
  // A page's ids go in as one JSON array parameter, so each statement stays prepared. Table and
  // type names come from CACHE_TABLE, never from outside; a table of two types says which.
  const heldIn = new Map([...TYPES_IN_TABLE].map(([table, types]) => {
    const type = types.length === 1 ? `'${types[0]}'` : 'resource_type';
    return [table, db.prepare(`SELECT ${type} AS resourceType, id, version_id AS versionId, last_updated AS lastUpdated
      FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`)];
  }));
  const heldQuarantined = db.prepare(`SELECT p.resource_type AS resourceType, p.id, p.version_id AS versionId, p.last_updated AS lastUpdated
    FROM json_each(?) AS k JOIN sync_problem p ON p.resource_type = k.value ->> 0 AND p.id = k.value ->> 1`);
  const quarantine = db.prepare(`INSERT INTO sync_problem (resource_type, id, version_id, last_updated, reason, raw, seen_at)
    VALUES (@resourceType, @id, @versionId, @lastUpdated, @reason, @raw, @seenAt)
    ON CONFLICT(resource_type, id) DO UPDATE SET version_id = excluded.version_id, last_updated = excluded.last_updated,
      reason = excluded.reason, raw = excluded.raw, seen_at = excluded.seen_at`);
  const release = db.prepare('DELETE FROM sync_problem WHERE resource_type = ? AND id = ?');
  const list = db.prepare(`SELECT resource_type AS resourceType, id AS resourceId, reason, seen_at AS seenAt FROM sync_problem
    ORDER BY seen_at DESC, resource_type, id`);
  const count = db.prepare('SELECT count(*) AS n FROM sync_problem');
  const anyHeld = db.prepare(`SELECT ${[...CACHE_TABLES, 'sync_problem'].map((table) => `EXISTS (SELECT 1 FROM ${table})`).join(' OR ')} AS held`);

  /** The held versions of these resources, by "Type/id": one query a table a page. */
  const heldVersions = (versions: readonly SeenVersion[]): Map<string, SeenVersion> => {
    const idsByTable = new Map<CacheTable, string[]>();
    for (const v of versions) {
      const table = tableOf(v.resourceType);
      if (!table) continue;
      const ids = idsByTable.get(table);
      if (ids) ids.push(v.id);
      else idsByTable.set(table, [v.id]);
    }
    const held = new Map<string, SeenVersion>();
    for (const [table, ids] of idsByTable) {
      const rows = (heldIn.get(table)?.all(JSON.stringify(ids)) ?? []) as SeenVersion[];
      for (const row of rows) held.set(keyOf(row), row);
    }
    // A quarantined version is newer than its row (a readable one would have released it).
    if ((count.get() as { n: number }).n > 0) {
      for (const row of heldQuarantined.all(JSON.stringify(versions.map((v) => [v.resourceType, v.id]))) as SeenVersion[]) held.set(keyOf(row), row);
    }
    return held;
  };
  /** Keys of those versions for which `test` holds against the version held. */
  const keysWhere = (versions: readonly SeenVersion[], test: (held: SeenVersion, incoming: SeenVersion) => boolean): Set<string> => {
    const heldNow = heldVersions(versions);
    return new Set(versions.filter((v) => { const h = heldNow.get(keyOf(v)); return h !== undefined && test(h, v); }).map(keyOf));
  };

  const ingest = db.transaction((incoming: PageIngest) => {
    const stale = keysWhere(incoming.seen, isOlderThanHeld);
    const staleRows = new Set(incoming.seen.filter((v) => stale.has(keyOf(v))).map((v) => `${tableOf(v.resourceType) ?? ''}/${v.id}`));
    const page: PageIngest = stale.size === 0 ? incoming : {
      rows: rowsWhere(incoming.rows, (table, id) => !staleRows.has(`${table}/${id}`)),
      seen: incoming.seen.filter((v) => !stale.has(keyOf(v))),
      problems: incoming.problems.filter((p) => !stale.has(keyOf(p))),
    };
    cases.write(page.rows);
    for (const { referralId, to } of incoming.sentElsewhere ?? []) cases.markSentElsewhere(referralId, to);
    const seenAt = new Date().toISOString();
    const troubled = new Set(page.problems.map(keyOf));
    // A readable new version releases its resource from quarantine; with none held, skip the look.
    const anyQuarantined = (count.get() as { n: number }).n > 0;
    for (const version of page.seen) {
      if (anyQuarantined && !troubled.has(keyOf(version))) release.run(version.resourceType, version.id);
    }
    for (const problem of page.problems) quarantine.run({ ...problem, raw: problem.raw.slice(0, MAX_RAW_CHARS), seenAt });
  });

  return {
    alreadyHeld: (versions) => keysWhere(versions, isSameVersion),
    holdsNothing: () => (anyHeld.get() as { held: number }).held === 0,
    // Immediate: the write lock first, so a writer on another connection is waited for, not refused.
    ingest: (page) => ingest.immediate(page),
    problems: () => list.all() as SyncProblem[],
    problemCount: () => (count.get() as { n: number }).n,
  };
}
