/**
 * Incremental pull: one system-level search across the resource types a case is made of,
 * sorted by _lastUpdated and followed through `next` links. The checkpoint is the newest
 * lastUpdated seen; each sync asks again from a little before it (the overlap window) so that
 * a late commit on the server is not missed, and skips versions it already holds. Pages are
 * mapped here and committed by the cache writer's thread, a page never split between
 * transactions; the checkpoint is committed after the last page, only when a sync completes,
 * so a process killed mid-sync starts again from the old checkpoint: no gaps, no duplicates.
 */
import type { SyncStatus } from '../../../shared/domain/sync-status';
import type { CaseStore } from '../db/case-store';
import { versionOf, type PageIngest, type SeenVersion, type SyncLedger } from '../db/sync-ledger';
import type { SyncStateKey, SyncStateStore } from '../db/sync-state';
import type { CacheWriter } from './cache-writer';
import type { CacheCounts } from './cache-writer-protocol';
import { CASE_RESOURCE_TYPES, mapResource, type CacheRecord } from '../fhir/case-mapping';
import { cacheRows } from '../db/cache-rows';
import type { FhirPage } from '../fhir/bundle-text';
import { FhirRequestError, type FhirClient } from '../fhir/fhir-client';

export const PAGE_SIZE = 200;
/** How far before the checkpoint each sync asks again. */
export const OVERLAP_MS = 5 * 60 * 1000;

export interface PullSync {
  /** Runs a sync, or joins the one already running. */
  syncNow: () => Promise<SyncStatus>;
  status: () => SyncStatus;
  /** Counts the cache again and sends the status (after images were built, say). */
  refresh: () => void;
}

export interface PullSyncDeps {
  fhir: FhirClient;
  cases: CaseStore;
  /** Read here (versions held, problems counted); written through the writer. */
  ledger: Pick<SyncLedger, 'alreadyHeld' | 'holdsNothing' | 'problemCount'>;
  state: Pick<SyncStateStore, 'get'>;
  writer: CacheWriter;
  onStatus: (status: SyncStatus) => void;
  overlapMs?: number;
}

const NOTHING_HELD: Pick<SyncLedger, 'alreadyHeld'> = { alreadyHeld: () => new Set() };

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The first URL of a sync: everything, or everything changed since a little before the checkpoint. */
export function changesSince(baseUrl: string, checkpoint: string | null, overlapMs: number): string {
  const params = new URLSearchParams({ _type: CASE_RESOURCE_TYPES.join(','), _sort: '_lastUpdated', _count: String(PAGE_SIZE) });
  if (checkpoint) params.set('_lastUpdated', `ge${new Date(Date.parse(checkpoint) - overlapMs).toISOString()}`);
  return `${baseUrl}?${params.toString()}`;
}

export type SortedPage = Omit<PageIngest, 'rows'> & { records: CacheRecord[]; newest: string | null; repeats: number };

/** Splits a page into what to write: new versions mapped, unreadable ones quarantined, repeats dropped. */
export function sortPage(page: FhirPage, ledger: Pick<SyncLedger, 'alreadyHeld'>): SortedPage {
  const ingest: SortedPage = { records: [], seen: [], problems: [], newest: null, repeats: 0 };
  const versions = page.resources.map(versionOf);
  const held = ledger.alreadyHeld(versions);
  let newestMs = Number.NEGATIVE_INFINITY;
  page.resources.forEach((resource, index) => {
    const version = versions[index] as SeenVersion;
    // Compared as instants, since offsets differ: 11:00+01:00 is before 10:30Z.
    const stamp = version.lastUpdated === null ? Number.NaN : Date.parse(version.lastUpdated);
    if (stamp > newestMs) newestMs = stamp;
    if (held.size > 0 && held.has(`${version.resourceType}/${version.id}`)) {
      ingest.repeats += 1;
      return;
    }
    ingest.seen.push(version);
    const raw = page.texts[index] ?? undefined;
    try {
      ingest.records.push(mapResource(resource, raw));
    } catch (err) {
      ingest.problems.push({ ...version, reason: err instanceof Error ? err.message : String(err), raw: raw ?? JSON.stringify(resource) ?? '' });
    }
  });
  if (Number.isFinite(newestMs)) ingest.newest = new Date(newestMs).toISOString();
  return ingest;
}

export function createPullSync({ fhir, cases, ledger, state, writer, onStatus, overlapMs = OVERLAP_MS }: PullSyncDeps): PullSync {
  let current: SyncStatus = {
    state: 'idle',
    lastSuccessAt: state.get('last-success-at'),
    casesInCache: cases.countOpenReferrals(),
    images: cases.countQueueImages(),
    resourcesReceived: 0,
    problemCount: ledger.problemCount(),
    problem: null,
  };
  let running: Promise<SyncStatus> | null = null;

  /** Progress during a sync is cheap to send; the counts are taken when it starts and ends. */
  const publish = (next: Partial<SyncStatus>, recount = true): SyncStatus => {
    const counts = recount ? { casesInCache: cases.countOpenReferrals(), images: cases.countQueueImages(), problemCount: ledger.problemCount() } : {};
    current = { ...current, ...next, ...counts };
    onStatus(current);
    return current;
  };

  const run = async (): Promise<SyncStatus> => {
    publish({ state: 'syncing', problem: null, resourcesReceived: 0 });
    let checkpoint = state.get('checkpoint');
    let received = 0;
    // Into an empty cache every version is new: the look-up per page would find nothing.
    const held = ledger.holdsNothing() ? NOTHING_HELD : ledger;
    try {
      await fhir.pageThrough(changesSince(fhir.baseUrl, checkpoint, overlapMs), async (page) => {
        const { records, seen, problems, newest } = sortPage(page, held);
        if (newest && (!checkpoint || newest > checkpoint)) checkpoint = newest;
        received += page.resources.length;
        publish({ resourcesReceived: received }, false);
        await writer.write({ rows: cacheRows(records), seen, problems }); // waits only when the writer falls behind
      });
    } catch (err) {
      // What was fetched stays written; the checkpoint stays where it was.
      const unwritten = await writer.finish([]).then(() => null, messageOf);
      const offline = err instanceof FhirRequestError && err.failure === 'unreachable';
      const problem = messageOf(err);
      // A failed commit is said too: a full disk must not hide behind a timeout.
      return publish({ state: offline ? 'offline' : 'failed', problem: unwritten && unwritten !== problem ? `${problem}; ${unwritten}` : problem });
    }
    const lastSuccessAt = new Date().toISOString();
    const reached: [SyncStateKey, string][] = [['last-success-at', lastSuccessAt]];
    if (checkpoint) reached.push(['checkpoint', checkpoint]);
    let counts: CacheCounts;
    try {
      counts = await writer.finish(reached);
    } catch (err) {
      return publish({ state: 'failed', problem: messageOf(err) });
    }
    // Quarantined records are counted in problemCount and listed by sync.problems; `problem`
    // is kept for a sync that failed.
    return publish({ state: 'idle', lastSuccessAt, problem: null, ...counts }, false);
  };

  return {
    syncNow() {
      running ??= run().finally(() => {
        running = null;
      });
      return running;
    },
    status: () => current,
    refresh: () => void publish({}),
  };
}
