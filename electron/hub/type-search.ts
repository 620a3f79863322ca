/**
 * Type-level searches the hub answers from memory as an indexed FHIR server would: by `_id`,
 * `_lastUpdated`, the parameters of search-params.ts (comma-separated values are alternatives)
 * and one level of chaining (`based-on:ServiceRequest.performer=HealthcareService/x`), sorted by
 * lastUpdated and paged with an opaque cursor. A query with anything else is not answered here
 * (null): Medplum's router takes it.
 *
 * Each type's resources, its indexes (built on first use) and each query's ordered matches are
 * kept until the next write, so a search by reference or id looks up, as a server's index would,
 * rather than reads every resource, and paging through it costs one look-up.
 */
import { parseSearchRequest } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type { Resource, ResourceType } from '@medplum/fhirtypes';
import { pageOf, sortKey, type ChangePage, type Ordered } from './change-feed';
import { referenceKey, SEARCH_PARAMS, type SearchParam } from './search-params';

/** A search the hub does not offer (switched off to play a lesser server): answered 400, as servers do. */
export class SearchRefused extends Error {}

export interface TypeSearch {
  search(resourceType: string, query: URLSearchParams): Promise<ChangePage | null>;
  invalidate(): void;
}

type Test = (resource: Resource) => boolean;

const PAGING = new Set(['_count', '_cursor', '_sort']);
const MAX_QUERIES_KEPT = 256;

/** A `_lastUpdated` comparison: ge, gt, le, lt or eq (the default) an instant. */
function lastUpdatedTest(value: string): Test | null {
  const match = /^(ge|gt|le|lt|eq)?(.+)$/.exec(value);
  const at = Date.parse(match?.[2] ?? '');
  if (!match || Number.isNaN(at)) return null;
  const prefix = match[1] ?? 'eq';
  return (resource) => {
    const stamp = Date.parse(resource.meta?.lastUpdated ?? '');
    if (Number.isNaN(stamp)) return false;
    return prefix === 'ge' ? stamp >= at : prefix === 'gt' ? stamp > at : prefix === 'le' ? stamp <= at : prefix === 'lt' ? stamp < at : stamp === at;
  };
}

/** Whether the resource's values of this parameter include any of `wanted`. */
function matches(param: SearchParam, resource: Resource, wanted: ReadonlySet<string>): boolean {
  if (param.type === 'token') return param.codes(resource).some((code) => code !== undefined && wanted.has(code));
  return (param.references(resource) ?? []).some((r) => {
    const key = referenceKey(r?.reference);
    return key !== null && (wanted.has(key) || wanted.has(key.slice(key.indexOf('/') + 1)));
  });
}

/** The values of a parameter, alternatives split; references written as "Type/id" or bare ids. */
const valuesOf = (param: SearchParam, value: string): Set<string> =>
  new Set(value.split(',').map((v) => (param.type === 'reference' ? (referenceKey(v) ?? v) : v.slice(v.indexOf('|') + 1))).filter(Boolean));

/** The keys a resource is found under for a parameter: "Type/id" of each reference, or each code. */
function keysOf(param: SearchParam, resource: Resource): string[] {
  if (param.type === 'token') return param.codes(resource).filter((code): code is string => code !== undefined);
  return (param.references(resource) ?? []).flatMap((r) => referenceKey(r?.reference) ?? []);
}

/** A query's filters: `narrow` gives the few resources that can match, found in an index; `tests` decide. */
interface Plan {
  narrow: (() => Promise<Resource[]>) | null;
  tests: Test[];
}

/**
 * `without` switches searches off, as a lesser server lacks them: "_lastUpdated",
 * "chained-search", or a parameter as "Type.param".
 */
export function createTypeSearch(repo: FhirRepository, without: ReadonlySet<string> = new Set()): TypeSearch {
  const offered = (what: string): void => {
    if (without.has(what)) throw new SearchRefused(`this server does not support ${what === 'chained-search' ? 'chained search' : `the search parameter ${what}`}`);
  };
  const everything = new Map<string, Resource[]>();
  const indexes = new Map<string, Map<string, Resource[]>>();
  const ordered = new Map<string, Ordered[]>();

  const allOf = async (type: string): Promise<Resource[]> => {
    let all = everything.get(type);
    if (!all) {
      const bundle = await repo.search(parseSearchRequest(type as ResourceType, {}));
      all = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
      everything.set(type, all);
    }
    return all;
  };

  /** Resources of a type by a parameter's keys (and by id, for `_id`), built on first use and kept until a write. */
  const indexOf = async (type: string, name: string): Promise<Map<string, Resource[]>> => {
    let index = indexes.get(`${type}.${name}`);
    if (!index) {
      index = new Map();
      const param = SEARCH_PARAMS[type]?.[name];
      for (const resource of await allOf(type)) {
        for (const key of name === '_id' ? [resource.id ?? ''] : param ? keysOf(param, resource) : []) {
          const found = index.get(key);
          if (found) found.push(resource);
          else index.set(key, [resource]);
        }
      }
      indexes.set(`${type}.${name}`, index);
    }
    return index;
  };
  const lookUp = async (type: string, name: string, keys: Iterable<string>): Promise<Resource[]> => {
    const index = await indexOf(type, name);
    const found = new Set<Resource>();
    for (const key of keys) for (const resource of index.get(key) ?? []) found.add(resource);
    return [...found];
  };

  /** The plan of a query, or null when it asks for something not answered here. */
  const planFor = async (type: string, query: URLSearchParams): Promise<Plan | null> => {
    const params = SEARCH_PARAMS[type];
    if (!params) return null;
    const plan: Plan = { narrow: null, tests: [] };
    for (const [name, value] of query) {
      if (PAGING.has(name)) {
        if (name === '_sort' && value !== '_lastUpdated') return null;
        continue;
      }
      if (name === '_id') {
        const ids = new Set(value.split(','));
        plan.tests.push((r) => ids.has(r.id ?? ''));
        plan.narrow ??= () => lookUp(type, '_id', ids);
        continue;
      }
      if (name === '_lastUpdated') {
        offered('_lastUpdated');
        const test = lastUpdatedTest(value);
        if (!test) return null;
        plan.tests.push(test);
        continue;
      }
      const chain = /^([a-z-]+):([A-Z][A-Za-z]+)\.([a-z-]+)$/.exec(name);
      if (chain) {
        offered('chained-search');
        const [, via, target, targetName] = chain as unknown as [string, string, string, string];
        offered(`${type}.${via}`);
        const link = params[via];
        const targetParam = SEARCH_PARAMS[target]?.[targetName];
        if (link?.type !== 'reference' || !targetParam) return null;
        const wanted = valuesOf(targetParam, value);
        const targets = [...wanted].some((v) => !v.includes('/')) && targetParam.type === 'reference'
          ? (await allOf(target)).filter((r) => matches(targetParam, r, wanted))
          : await lookUp(target, targetName, wanted);
        const linked = new Set(targets.map((r) => `${target}/${r.id}`));
        plan.tests.push((r) => matches(link, r, linked));
        plan.narrow ??= () => lookUp(type, via, linked);
        continue;
      }
      const param = params[name];
      if (!param) return null;
      offered(`${type}.${name}`);
      const wanted = valuesOf(param, value);
      plan.tests.push((r) => matches(param, r, wanted));
      // A bare id could be of any type: only "Type/id" (and codes) are looked up in the index.
      if (param.type === 'token' || [...wanted].every((v) => v.includes('/'))) plan.narrow ??= () => lookUp(type, name, wanted);
    }
    return plan;
  };

  return {
    async search(type, query) {
      const filters = new URLSearchParams([...query].filter(([name]) => name !== '_cursor' && name !== '_count'));
      filters.sort();
      const cacheKey = `${type}?${filters.toString()}`;
      let all = ordered.get(cacheKey);
      if (!all) {
        const plan = await planFor(type, query);
        if (!plan) return null;
        const candidates = plan.narrow ? await plan.narrow() : await allOf(type);
        all = candidates.filter((r) => plan.tests.every((test) => test(r))).map((resource) => ({ key: sortKey(resource), resource }));
        all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        if (ordered.size >= MAX_QUERIES_KEPT) ordered.clear(); // many one-off queries (lists of ids) between writes
        ordered.set(cacheKey, all);
      }
      return pageOf(all, query);
    },
    invalidate() {
      everything.clear();
      indexes.clear();
      ordered.clear();
    },
  };
}
