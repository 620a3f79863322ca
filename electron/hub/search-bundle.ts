/**
 * The pages of the hub's searches as a FHIR server sends them: a searchset with its `self` and
 * `next` links and the time it was served (Bundle.meta.lastUpdated), which a client may take as
 * the server's own notion of now.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';

/** A searchset page; `fullUrlBase` is the FHIR base that entries' fullUrls start from, when the search is on a type. */
export function changeBundle(resources: Resource[], total: number, servedAt: string | null, base: string, query: URLSearchParams, next?: string, fullUrlBase = base): Bundle {
  const link = (params: URLSearchParams): string => `${base}?${params.toString()}`;
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(servedAt ? { meta: { lastUpdated: servedAt } } : {}),
    total,
    link: [{ relation: 'self', url: link(query) }],
    entry: resources.map((resource) => ({ fullUrl: `${fullUrlBase}/${resource.resourceType}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
  if (next) {
    const params = new URLSearchParams(query);
    params.set('_cursor', next);
    bundle.link?.push({ relation: 'next', url: link(params) });
  }
  return bundle;
}

/** MemoryRepository pages type searches with _count/_offset but leaves the links out; a real server sends them. */
export function addPagingLinks(bundle: Bundle, selfUrl: string, query: URLSearchParams): void {
  const count = Number(query.get('_count') ?? 20);
  const offset = Number(query.get('_offset') ?? 0);
  const withOffset = (value: number): string => {
    const next = new URLSearchParams(query);
    next.set('_offset', String(value));
    next.set('_count', String(count));
    return `${selfUrl}?${next.toString()}`;
  };
  bundle.link = [{ relation: 'self', url: withOffset(offset) }];
  const returned = bundle.entry?.length ?? 0;
  if (bundle.total !== undefined && offset + returned < bundle.total && returned > 0) {
    bundle.link.push({ relation: 'next', url: withOffset(offset + returned) });
  }
}
