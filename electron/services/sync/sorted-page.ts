/**
 * What a page of a search brings, sorted for writing: new versions mapped, unreadable ones
 * quarantined, repeats dropped; and what of it is the service's. Pure.
 */
import { versionOf, type PageIngest, type Quarantined, type SeenVersion, type SyncLedger } from '../db/sync-ledger';
import { mapResource, type CacheRecord } from '../fhir/case-mapping';
import type { FhirPage } from '../fhir/bundle-text';
import type { ReferencedType } from './scope';

export type SortedPage = Omit<PageIngest, 'rows'> & { records: CacheRecord[]; newest: string | null; repeats: number };

/** versionOf's id for a resource without one. */
const NO_ID = '(no id)';

/** Whether `a` is a later version than `b` of the same resource: by time, else by a numeric versionId; neither tells, no. */
export function isLaterVersion(a: SeenVersion, b: SeenVersion): boolean {
  const [at, bt] = [Date.parse(a.lastUpdated ?? ''), Date.parse(b.lastUpdated ?? '')];
  if (!Number.isNaN(at) && !Number.isNaN(bt) && at !== bt) return at > bt;
  const [av, bv] = [Number(a.versionId ?? Number.NaN), Number(b.versionId ?? Number.NaN)];
  return Number.isInteger(av) && Number.isInteger(bv) && av > bv;
}

/** For each resource the page brings more than once, the index of its latest version (the later in the page when they cannot be told apart). */
function latestIndexes(versions: readonly SeenVersion[]): Map<string, number> {
  const latest = new Map<string, number>();
  versions.forEach((version, index) => {
    if (version.id === NO_ID) return; // unreadable entries are each quarantined
    const key = `${version.resourceType}/${version.id}`;
    const before = latest.get(key);
    if (before === undefined || !isLaterVersion(versions[before] as SeenVersion, version)) latest.set(key, index);
  });
  return latest;
}

/** Splits a page into what to write: new versions mapped, unreadable ones quarantined, repeats dropped. */
export function sortPage(page: FhirPage, ledger: Pick<SyncLedger, 'alreadyHeld'>): SortedPage {
  const ingest: SortedPage = { records: [], seen: [], problems: [], newest: null, repeats: 0 };
  const versions = page.resources.map(versionOf);
  const held = ledger.alreadyHeld(versions);
  // A server may send one resource twice in a page (two versions in a history, a duplicate
  // entry): only its latest is written, whatever the order.
  const latest = versions.length > 1 ? latestIndexes(versions) : null;
  let newestMs = Number.NEGATIVE_INFINITY;
  page.resources.forEach((resource, index) => {
    const version = versions[index] as SeenVersion;
    if (latest && version.id !== NO_ID && latest.get(`${version.resourceType}/${version.id}`) !== index) {
      ingest.repeats += 1;
      return;
    }
    // Compared as instants, since offsets differ: 11:00+01:00 is before 10:30Z.
    const stamp = version.lastUpdated === null ? Number.NaN : Date.parse(version.lastUpdated);
    if (stamp > newestMs) newestMs = stamp;
    if (held.size > 0 && held.has(`${version.resourceType}/${version.id}`)) {
      ingest.repeats += 1;
      return;
    }
    ingest.seen.push(version);
    const raw = (): string | null => page.texts[index] ?? null;
    try {
      ingest.records.push(mapResource(resource, raw));
    } catch (err) {
      ingest.problems.push({ ...version, reason: err instanceof Error ? err.message : String(err), raw: raw() ?? JSON.stringify(resource) ?? '' });
    }
  });
  if (Number.isFinite(newestMs)) ingest.newest = new Date(newestMs).toISOString();
  return ingest;
}

/** The people and organisations these records refer to (the practice through the patient). */
export function referencedBy(records: readonly CacheRecord[]): Record<ReferencedType, Set<string>> {
  const wanted: Record<ReferencedType, Set<string>> = { Patient: new Set(), Practitioner: new Set(), Organization: new Set() };
  for (const { table, row } of records) {
    if (table === 'referral') {
      wanted.Patient.add(row.patientId);
      if (row.requesterId) wanted.Practitioner.add(row.requesterId);
    } else if (table === 'review_task' && row.ownerId) wanted.Practitioner.add(row.ownerId);
    else if (table === 'patient' && row.practiceId) wanted.Organization.add(row.practiceId);
  }
  return wanted;
}

export const referralOf = (record: CacheRecord): string | null => ('referralId' in record.row ? record.row.referralId : null);

/** The page with only the records `keep` holds and the unreadable resources `keepProblem` holds. */
export function only(sorted: SortedPage, keep: (record: CacheRecord) => boolean, keepProblem: (problem: Quarantined) => boolean): SortedPage {
  const records = sorted.records.filter(keep);
  const problems = sorted.problems.filter(keepProblem);
  // One type a search, so an id names one resource of the page.
  const kept = new Set([...records.map((r) => r.row.id), ...problems.map((p) => p.id)]);
  return { ...sorted, records, problems, seen: sorted.seen.filter((v) => kept.has(v.id)) };
}

/** Whether a resource's text refers to any of these referrals: all that can be told of one that cannot be read. */
export function refersToAny(raw: string, referrals: ReadonlySet<string>): boolean {
  for (const [, id] of raw.matchAll(/ServiceRequest\/([A-Za-z0-9\-.]{1,64})"/g)) if (referrals.has(id as string)) return true;
  return false;
}
