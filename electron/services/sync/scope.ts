/**
 * Which of a shared server's resources are the desk's, and the searches that ask for only those.
 * Pure: pull-sync.ts runs the searches.
 *
 * A trust's server holds every specialty's referrals. The desk's work is the referrals whose
 * ServiceRequest.performer names its service (as e-RS and BaRS address a referral to the
 * receiving service), with what each is made of: its review Task (Task.focus), questionnaire
 * (QuestionnaireResponse.based-on), consents (Consent.data), images (Media.based-on,
 * DocumentReference.related), and the patient, GPs, practice and consultants they refer to.
 */
import { DESK_IDENTIFIER_SYSTEM } from '../fhir/codes';

/** Resources a page of a search asks for. */
export const PAGE_SIZE = 500;

/** Each part of a referral: its type and the search parameter that points at the referral. */
export const REFERRAL_PARTS = [
  { type: 'Task', param: 'focus' },
  { type: 'QuestionnaireResponse', param: 'based-on' },
  { type: 'Consent', param: 'data' },
  { type: 'Media', param: 'based-on' },
  { type: 'DocumentReference', param: 'related' },
] as const;

/** The people and organisations a referral refers to, fetched by id. */
export const REFERENCED_TYPES = ['Patient', 'Practitioner', 'Organization'] as const;
export type ReferencedType = (typeof REFERENCED_TYPES)[number];

/** A referral still awaiting an answer: what a first sync takes (finished ones come only as a patient's history). */
export const OPEN_REFERRAL_STATUSES = ['active', 'on-hold'] as const;
/**
 * Every other status a referral can have: what a patient's history is asked for. An open
 * referral to the service comes by the service's own search, in any sync (a change moves it there).
 */
export const CLOSED_REFERRAL_STATUSES = ['draft', 'revoked', 'completed', 'entered-in-error', 'unknown'] as const;

/** At most this many ids in one search, */
export const IDS_PER_SEARCH = 200;
/**
 * and at most this much of them once written into a URL: inside the 8 KB request line most
 * servers take. Fewer, longer searches are most of what makes a first sync quick. A server that
 * refuses an address this long (server-limits.ts) is asked again with shorter ones, down to
 */
export const ID_CHARS_PER_SEARCH = 6000;
/** this much, which any server takes. */
export const SHORT_ID_CHARS_PER_SEARCH = 1500;

/** How long these ids are once written into a URL. */
export function idChars(ids: readonly string[], render: (id: string) => string = (id) => id): number {
  return ids.reduce((length, id) => length + encodeURIComponent(`${render(id)},`).length, 0);
}

/** A search of one type, sorted by lastUpdated and paged; changes only when `since` is given. */
export function searchOf(type: string, params: readonly (readonly [string, string])[], since: string | null): string {
  const query = new URLSearchParams(params.map(([name, value]): [string, string] => [name, value]));
  if (since) query.set('_lastUpdated', `ge${since}`);
  query.set('_sort', '_lastUpdated');
  query.set('_count', String(PAGE_SIZE));
  return `${type}?${query.toString()}`;
}

/**
 * Whether a ServiceRequest names the service among its performers: as a relative reference, or
 * as an absolute one on this server (the same id on another server is another service).
 */
export function addressedTo(resource: unknown, service: string, baseUrl: string): boolean {
  const performers = (resource as { performer?: unknown } | null)?.performer;
  if (!Array.isArray(performers)) return false;
  return performers.some((p: unknown) => {
    const reference = (p as { reference?: unknown } | null)?.reference;
    return typeof reference === 'string' && (reference === service || reference === `${baseUrl}/${service}`);
  });
}

const DESK_SYSTEMS: ReadonlySet<string> = new Set(Object.values(DESK_IDENTIFIER_SYSTEM));

/**
 * Whether the desk made this resource (an outcome's onward request carries the desk's own
 * identifier): never a referral to review, wherever the server addresses it later (a booking
 * system may address a clinic request to the very service that asked for it).
 */
export function madeByTheDesk(resource: unknown): boolean {
  const identifiers = (resource as { identifier?: unknown } | null)?.identifier;
  return Array.isArray(identifiers) && identifiers.some((i: unknown) => DESK_SYSTEMS.has((i as { system?: unknown } | null)?.system as string));
}

/** A referral to review here: addressed to the service, and not the desk's own output. */
export function referralForTheService(resource: unknown, service: string, baseUrl: string): boolean {
  return addressedTo(resource, service, baseUrl) && !madeByTheDesk(resource);
}

/** The ids, in groups small enough for one search each (at most `maxChars` of them in the URL), as `render` writes each id into it. */
export function inGroups(ids: Iterable<string>, render: (id: string) => string = (id) => id, maxChars = ID_CHARS_PER_SEARCH): string[][] {
  const groups: string[][] = [];
  let length = 0;
  for (const id of ids) {
    const size = idChars([id], render);
    const last = groups.at(-1);
    if (last && last.length < IDS_PER_SEARCH && length + size <= maxChars) {
      last.push(id);
      length += size;
    } else {
      groups.push([id]);
      length = size;
    }
  }
  return groups;
}
