/**
 * System-level search across resource types (`GET [base]?_type=A,B&_lastUpdated=ge...`), sorted
 * by lastUpdated and paged with an opaque cursor rather than an offset, so resources changed
 * while a client pages through cannot shift others out of sight.
 *
 * The ordered result of a query is kept until the next write, so paging through N resources
 * costs one scan, not one per page.
 */
import { parseSearchRequest } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type { Resource, ResourceType } from '@medplum/fhirtypes';

export interface ChangePage {
  resources: Resource[];
  total: number;
  /** Cursor for the next page, when there is one. */
  next?: string;
}

export interface ChangeFeed {
  search(query: URLSearchParams): Promise<ChangePage>;
  /** Call after every write to the repository. */
  invalidate(): void;
}

export interface Ordered {
  key: string;
  resource: Resource;
}

export const sortKey = (r: Resource): string => `${r.meta?.lastUpdated ?? ''}|${r.resourceType}/${r.id ?? ''}`;
const encodeCursor = (key: string): string => Buffer.from(key, 'utf8').toString('base64url');
const decodeCursor = (cursor: string | null): string => (cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : '');

/** Index of the first entry whose key is greater than `after`. */
function firstAfter(ordered: readonly Ordered[], after: string): number {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ordered[mid] as Ordered).key <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The page of ordered matches a query's `_cursor` and `_count` ask for (100 unless said, 1,000 at most). */
export function pageOf(all: readonly Ordered[], query: URLSearchParams): ChangePage {
  const count = Math.min(Math.max(Number(query.get('_count') ?? 100) || 100, 1), 1000);
  const start = firstAfter(all, decodeCursor(query.get('_cursor')));
  const page = all.slice(start, start + count);
  const last = page.at(-1);
  return {
    resources: page.map((o) => o.resource),
    total: all.length,
    ...(start + count < all.length && last ? { next: encodeCursor(last.key) } : {}),
  };
}

export function createChangeFeed(repo: FhirRepository): ChangeFeed {
  const cache = new Map<string, Ordered[]>();

  const ordered = async (types: string[], since: string | null): Promise<Ordered[]> => {
    const cacheKey = `${types.join(',')}|${since ?? ''}`;
    const hit = cache.get(cacheKey);
    if (hit) return hit;
    const filters: Record<string, string> = since ? { _lastUpdated: since } : {};
    const matching: Ordered[] = [];
    for (const type of types) {
      const bundle = await repo.search(parseSearchRequest(type as ResourceType, filters));
      for (const entry of bundle.entry ?? []) if (entry.resource) matching.push({ key: sortKey(entry.resource), resource: entry.resource });
    }
    matching.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    cache.set(cacheKey, matching);
    return matching;
  };

  return {
    async search(query) {
      const types = (query.get('_type') ?? '').split(',').filter(Boolean);
      if (types.length === 0) throw new Error('_type is required for a system-level search');
      return pageOf(await ordered(types, query.get('_lastUpdated')), query);
    },
    invalidate: () => cache.clear(),
  };
}
