/**
 * Incremental pull of the service's work from a shared FHIR server (scope.ts says what is the
 * desk's). Each sync runs searches of one type each, sorted by _lastUpdated and followed through
 * `next` links; after the first, each asks only for changes since a little before the checkpoint
 * (the overlap window, so that a late commit on the server is not missed) and skips versions it
 * already holds:
 *
 *  1. referrals addressed to the service (open ones, the first time; any change after);
 *  2. referrals held that changed, wherever they are now addressed (one sent elsewhere is let go);
 *  3. changed parts of referrals held, by chained search (`based-on:ServiceRequest.performer=…`);
 *  4. changed people held, by id.
 *
 * A referral new to the desk is written last, after its parts, its people and the patient's
 * earlier referrals to the service, all asked for by id, a few searches at once
 * (few-at-a-time.ts): a referral in the cache has all of itself, and a sync killed before
 * writing it asks for it again. Pages are mapped here and
 * committed by the cache writer's thread, a page never split between transactions; the
 * checkpoint is committed after the last page, only when a sync completes: no gaps, no
 * duplicates.
 */
import type { SyncStatus } from '../../../shared/domain/sync-status';
import type { CaseStore } from '../db/case-store';
import { versionOf, type PageIngest, type SyncLedger } from '../db/sync-ledger';
import type { SyncStateKey, SyncStateStore } from '../db/sync-state';
import type { CacheWriter } from './cache-writer';
import type { CacheCounts } from './cache-writer-protocol';
import type { CacheRecord } from '../fhir/case-mapping';
import { cacheRows } from '../db/cache-rows';
import type { FhirPage } from '../fhir/bundle-text';
import { FhirRequestError, type FhirClient } from '../fhir/fhir-client';
import { oneATurn } from '../fhir/one-a-turn';
import { CLOSED_REFERRAL_STATUSES, referralForTheService, OPEN_REFERRAL_STATUSES, REFERENCED_TYPES, REFERRAL_PARTS, searchOf, type ReferencedType } from './scope';
import { createServerLimits } from './server-limits';
import { createIdSearches } from './id-searches';
import { createNextStart } from './next-start';
import { fewAtATime } from './few-at-a-time';
import { only, referencedBy, referralOf, refersToAny, sortPage, type SortedPage } from './sorted-page';

export { PAGE_SIZE } from './scope';
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
  /** The service whose work this is, e.g. "HealthcareService/teledermatology". */
  service: string;
  /** The consultant using the desk: their own Practitioner is fetched too, for their name. */
  reviewerId?: string | null;
  /** Read here (versions held, problems counted); written through the writer. */
  ledger: Pick<SyncLedger, 'alreadyHeld' | 'holdsNothing' | 'problemCount'>;
  state: Pick<SyncStateStore, 'get'>;
  writer: CacheWriter;
  onStatus: (status: SyncStatus) => void;
  /** What the server cannot do, in words for the consultant: said when first found. */
  onLimits?: (messages: string[]) => void;
  /** How far the server's clock is ahead of this computer's (ms; behind when negative), at each sync that can tell. */
  onClockSkew?: (ms: number) => void;
  /** This computer's clock. */
  now?: () => Date;
  overlapMs?: number;
}

const NOTHING_HELD: Pick<SyncLedger, 'alreadyHeld'> = { alreadyHeld: () => new Set() };

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Where a sync's changes start: a little before the checkpoint; null for a first sync. */
export function changesSince(checkpoint: string | null, overlapMs: number): string | null {
  return checkpoint ? new Date(Date.parse(checkpoint) - overlapMs).toISOString() : null;
}

const refs = (type: string) => (id: string): string => `${type}/${id}`;

export function createPullSync({ fhir, cases, service, reviewerId = null, ledger, state, writer, onStatus, onLimits = () => undefined, onClockSkew = () => undefined, now = () => new Date(), overlapMs = OVERLAP_MS }: PullSyncDeps): PullSync {
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
  const limits = createServerLimits(fhir, onLimits);
  const { groupsOf, byIds } = createIdSearches(limits);
  const ours = (resource: unknown): boolean => referralForTheService(resource, service, fhir.baseUrl);

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
    let since = changesSince(checkpoint, overlapMs);
    /** The parts of a referral the server can be asked for. */
    let parts = [...REFERRAL_PARTS];
    let received = 0;
    // Into an empty cache every version is new: the look-up per page would find nothing.
    const held = ledger.holdsNothing() ? NOTHING_HELD : ledger;
    /** Referrals in the cache, or written in this sync. */
    const referrals = new Set(cases.heldIds('referral'));
    const heldBefore = [...referrals];
    const known: Record<ReferencedType, Set<string>> = {
      Patient: new Set(cases.heldIds('patient')), Practitioner: new Set(cases.heldIds('practitioner')), Organization: new Set(cases.heldIds('organization')),
    };
    /** Patients whose earlier referrals to the service are held or have been asked for. */
    const historyHeld = new Set(cases.referredPatients());
    let noHistory = false;
    let statusSearch = true;

    /** Every page of a search, sorted, counted as received. */
    const eachPage = (search: string, onPage: (sorted: SortedPage, page: FhirPage) => Promise<void>): Promise<void> =>
      fhir.pageThrough(search, async (page) => {
        const sorted = await oneATurn(() => sortPage(page, held));
        received += page.resources.length;
        publish({ resourcesReceived: received }, false);
        await onPage(sorted, page);
      });
    // Waits only when the writer falls behind.
    const write = (sorted: Pick<SortedPage, 'records' | 'seen' | 'problems'>, sentElsewhere: PageIngest['sentElsewhere'] = []): Promise<void> =>
      writer.write({ rows: cacheRows(sorted.records), seen: sorted.seen, problems: sorted.problems, sentElsewhere });

    /** The people these records refer to that the cache lacks, then the practices of those patients. */
    const fetchPeople = async (records: readonly CacheRecord[]): Promise<void> => {
      const wanted = referencedBy(records);
      if (reviewerId) wanted.Practitioner.add(reviewerId);
      for (const type of REFERENCED_TYPES) {
        const missing = [...wanted[type]].filter((id) => !known[type].has(id));
        await fewAtATime(groupsOf(missing).map((ids) => () => byIds(ids, undefined, (group) =>
          eachPage(searchOf(type, [['_id', group.join(',')]], null), async (sorted) => {
            for (const id of group) known[type].add(id);
            await write(sorted);
            if (type === 'Patient') for (const practice of referencedBy(sorted.records).Organization) wanted.Organization.add(practice);
          }))));
      }
    };

    /** The parts of these referrals, and the unreadable resources that refer to one of them. */
    const partsOf = (sorted: SortedPage, of: ReadonlySet<string>): SortedPage =>
      only(sorted, (r) => of.has(referralOf(r) ?? ''), (p) => refersToAny(p.raw, of));

    /**
     * A page of referrals: those addressed to the service are kept; one held and now addressed
     * elsewhere is marked so (it leaves the queue once the sync is over). New ones are written
     * after their parts, people and the patient's earlier referrals.
     */
    const takeReferrals = async (page: FhirPage, sorted: SortedPage): Promise<void> => {
      const sentElsewhere: NonNullable<PageIngest['sentElsewhere']> = [];
      const foreign = new Set<string>();
      page.resources.forEach((resource) => {
        const { id } = versionOf(resource);
        if (ours(resource)) return;
        foreign.add(id);
        const to = (resource as { performer?: { reference?: string; display?: string }[] }).performer?.map((p) => p.display ?? p.reference).filter(Boolean).join(', ');
        if (referrals.has(id)) sentElsewhere.push({ referralId: id, to: to || 'no service' });
      });
      const open = new Set<string>(OPEN_REFERRAL_STATUSES);
      const isNew = (r: CacheRecord): boolean => r.table === 'referral' && !referrals.has(r.row.id);
      // Not the service's, or finished and never held (a first sync takes open work only).
      const keep = (r: CacheRecord): boolean => !foreign.has(r.row.id) && (!isNew(r) || (r.table === 'referral' && open.has(r.row.status)));
      const batch: SortedPage[] = [only(sorted, keep, (p) => !foreign.has(p.id))];
      const fresh = (): CacheRecord[] => batch.flatMap((b) => b.records.filter(isNew));

      // The patients' earlier referrals to the service, for comparison over time.
      const patients = [...new Set(fresh().map((r) => (r.table === 'referral' ? r.row.patientId : '')))].filter((id) => id && !historyHeld.has(id));
      const inBatch = new Set(fresh().map((r) => r.row.id));
      await fewAtATime((noHistory ? [] : groupsOf(patients, refs('Patient'))).map((ids) => () => byIds(ids, refs('Patient'), (group) => {
        for (const id of group) historyHeld.add(id);
        const history: [string, string][] = [['performer', service], ['subject', group.map(refs('Patient')).join(',')]];
        if (statusSearch) history.push(['status', CLOSED_REFERRAL_STATUSES.join(',')]);
        return eachPage(searchOf('ServiceRequest', history, null), async (earlier, earlierPage) => {
          const elsewhere = new Set(earlierPage.resources.filter((r) => !ours(r)).map((r) => versionOf(r).id));
          const theirs = (id: string): boolean => !elsewhere.has(id) && !inBatch.has(id);
          batch.push(only(earlier, (r) => theirs(r.row.id), (p) => theirs(p.id)));
        });
      })));

      const newIds = [...new Set(fresh().map((r) => r.row.id))];
      const theirParts: CacheRecord[] = [];
      await fewAtATime(groupsOf(newIds, refs('ServiceRequest')).flatMap((ids) => {
        const of = new Set(ids);
        return parts.map(({ type, param }) => () => byIds(ids, refs('ServiceRequest'), (group) =>
          eachPage(searchOf(type, [[param, group.map(refs('ServiceRequest')).join(',')]], null), async (found) => {
            const mine = partsOf(found, of);
            theirParts.push(...mine.records);
            await write(mine);
          })));
      }));
      await fetchPeople([...batch.flatMap((b) => b.records), ...theirParts]);
      for (const [index, taken] of batch.entries()) await write(taken, index === 0 ? sentElsewhere : []);
      for (const id of newIds) referrals.add(id);
    };

    /** What the cache's rows refer to and it does not hold (a sync killed part-way, a patient's new practice): asked for by id. */
    const repair = async (): Promise<void> => {
      for (let round = 0; round < 2; round++) {
        await writer.finish([]); // everything written so far committed, so the cache can be asked
        const missing = cases.missingReferences(reviewerId);
        if (REFERENCED_TYPES.every((type) => missing[type].length === 0)) return;
        for (const type of REFERENCED_TYPES) {
          for (const ids of groupsOf(missing[type])) await byIds(ids, undefined, (group) => eachPage(searchOf(type, [['_id', group.join(',')]], null), (sorted) => write(sorted)));
        }
      }
    };

    const nextStart = createNextStart(now, onClockSkew);
    try {
      const gaps = await limits.gaps();
      if (gaps.cannotScope) throw new Error(gaps.messages[0]);
      // Without _lastUpdated every sync reads the service's work again; steps 2 to 4 then see every change.
      if (gaps.noChangesSince) since = null;
      noHistory = gaps.noHistory;
      statusSearch = !gaps.noStatusSearch;
      parts = REFERRAL_PARTS.filter((p) => !gaps.missingParts.includes(p.type));
      // 1. Referrals addressed to the service: open ones first time, every change after.
      const addressed: [string, string][] = [['performer', service]];
      if (!since && !gaps.noStatusSearch) addressed.push(['status', OPEN_REFERRAL_STATUSES.join(',')]);
      await eachPage(searchOf('ServiceRequest', addressed, since), async (sorted, page) => {
        nextStart.see(page, sorted.newest);
        await takeReferrals(page, sorted);
      });
      if (heldBefore.length > 0) {
        // 2. Referrals held that changed, wherever they are addressed now.
        for (const ids of groupsOf(heldBefore)) {
          await byIds(ids, undefined, (group) => eachPage(searchOf('ServiceRequest', [['_id', group.join(',')]], since), (sorted, page) => takeReferrals(page, sorted)));
        }
        // 3. Changed parts of the referrals held: a new image, a consent withdrawn, a task cancelled.
        for (const { type, param } of parts) {
          const changed = async (found: SortedPage): Promise<void> => {
            const mine = partsOf(found, referrals);
            await fetchPeople(mine.records);
            await write(mine);
          };
          if (!limits.chainRefused()) {
            try {
              await eachPage(searchOf(type, [[`${param}:ServiceRequest.performer`, service]], since), changed);
              continue;
            } catch (err) {
              if (!limits.refusedChain(err)) throw err;
            }
          }
          for (const ids of groupsOf(heldBefore, refs('ServiceRequest'))) await byIds(ids, refs('ServiceRequest'), (group) => eachPage(searchOf(type, [[param, group.map(refs('ServiceRequest')).join(',')]], since), changed));
        }
        // 4. Changed people the cache holds.
        for (const type of REFERENCED_TYPES) {
          for (const ids of groupsOf([...known[type]])) await byIds(ids, undefined, (group) => eachPage(searchOf(type, [['_id', group.join(',')]], since), (sorted) => write(sorted)));
        }
      }
      await repair();
      checkpoint = nextStart.reached() ?? checkpoint;
    } catch (err) {
      // What was fetched stays written; the checkpoint stays where it was.
      const unwritten = await writer.finish([]).then(() => null, messageOf);
      const offline = err instanceof FhirRequestError && err.failure === 'unreachable';
      const problem = messageOf(err);
      // A failed commit is said too: a full disk must not hide behind a timeout.
      return publish({ state: offline ? 'offline' : 'failed', problem: unwritten && unwritten !== problem ? `${problem}; ${unwritten}` : problem });
    }
    const lastSuccessAt = new Date().toISOString();
    const done: [SyncStateKey, string][] = [['last-success-at', lastSuccessAt]];
    if (checkpoint) done.push(['checkpoint', checkpoint]);
    let counts: CacheCounts;
    try {
      counts = await writer.finish(done);
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
