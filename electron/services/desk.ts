/**
 * The desk's services wired together behind the IPC contract. Plain Node: the Electron main
 * process, the browser test carrier and the benchmarks all start the desk through here.
 */
import { join } from 'node:path';
import type { DeskHandlers, DeskInfo, DeskNotice, EventName, EventPayload } from '../../shared/ipc/contract';
import type { Pyramid } from '../../shared/domain/referral';
import type { SyncStatus } from '../../shared/domain/sync-status';
import type { TileAddress } from '../../shared/domain/tile-address';
import { createAuthSession } from './auth/auth-session';
import type { SignInSettings } from './auth/browser-sign-in';
import { openCache, TILES_FOLDER, type ConfirmCacheReset } from './cache/open-cache';
import type { KeyWrap } from './cache/key-wrap';
import { recordUnsentOutcomes } from './cache/unsent-outcomes';
import { holidayListWarning, londonDate } from '../../shared/clock/working-days';
import { createCaseStore } from './db/case-store';
import { createPyramidStore } from './db/pyramid-store';
import { createSyncLedger } from './db/sync-ledger';
import { createSyncStateStore } from './db/sync-state';
import { createTemplateStore } from './db/template-store';
import { createFhirClient, type FhirClientOptions } from './fhir/fhir-client';
import { createImagePyramids } from './images/image-pyramids';
import { createPrefetcher } from './images/prefetch';
import { createAuditTrail } from './audit/audit-trail';
import { openOutcomeJournal } from './outcomes/outcome-journal';
import { createReviewsWithoutOutcome, journalFailureMessage, pendingRecoveries, reconcileOutcomes } from './outcomes/outcome-recovery';
import { acknowledgeNotice, deskNotices, mayHaveLost } from './desk-notices';
import { createOutcomeDesk } from './outcomes/outcome-desk';
import { UNDO_WINDOW_MS } from './outcomes/sign-outcome';
import { claimReview, type Reviewer } from './review/claim-review';
import { createTileCipher } from './images/tile-cipher';
import { createTileStore } from './images/tile-store';
import { DEFAULT_LOCK_AFTER_MINUTES, DEFAULT_RETENTION_DAYS } from './settings';
import { createRetention } from './cache/retention';
import { createCacheWriter } from './sync/cache-writer';
import { clockSkewMessage } from './sync/clock-skew';
import { createPullSync } from './sync/pull-sync';
import { createOutcomeStore } from './db/outcome-store';
import { createTeachingExport } from './teaching/teaching-export';

export interface DeskOptions {
  /** Folder for the cache database and the tile store (Electron's userData). */
  dataDir: string;
  /** Protects the cache key (and the sign-in tokens) at rest: safeStorage in the app. */
  keyWrap: KeyWrap;
  /** Asked before a cache that cannot be opened is set aside; without it a fresh cache starts. */
  confirmCacheReset?: ConfirmCacheReset;
  /** How to sign in to the server (OAuth 2 with PKCE in the browser); null for a server without sign-in. */
  signIn: SignInSettings | null;
  source: DeskInfo['source'];
  tileBaseUrl: string;
  /** Where events for the renderer go (the contract's event list). */
  onEvent?: <E extends EventName>(name: E, payload: EventPayload<E>) => void;
  /** How long a signed outcome can be taken back before it is sent. */
  undoMs?: number;
  /**
   * How many cases ahead of the open one (or the head of the queue) get their pyramids built
   * early, after the open case's own images; 0 builds nothing in the background.
   */
  prefetchCases?: number;
  /** Request timeout and retry policy for the FHIR server. */
  fhir?: Omit<FhirClientOptions, 'baseUrl'>;
  /** The consultant using the desk; without one, cases open unclaimed. */
  reviewer?: Reviewer | null;
  /** Idle time before the screen locks; five minutes unless set. */
  lockAfterMs?: number;
  /** Days finished work stays in the cache (settings.ts); fourteen unless set. */
  retentionDays?: number;
  /** Folder that teaching exports are written into (each in its own sub-folder); without one, exports are refused. */
  teachingExportDir?: string;
  /**
   * What time it is for the undo window and the outbox: the system clock unless given. A test
   * holds it still to take an outcome back, and moves it on to let the outcome go.
   */
  outcomeClock?: () => Date;
}

export interface Desk {
  handlers: DeskHandlers;
  readTile: (address: TileAddress) => Promise<Buffer | null>;
  sync: () => Promise<SyncStatus>;
  /** Resolves when background work (starting the cache writer, a sync, pyramids built ahead) has finished. */
  settled: () => Promise<void>;
  /** Waits for work in flight, then closes the database. */
  close: () => Promise<void>;
}

export class NotFound extends Error {}

export function openDesk(options: DeskOptions): Desk {
  const cache = openCache(options.dataDir, options.keyWrap, options.confirmCacheReset);
  const { db } = cache;
  const cases = createCaseStore(db);
  const emit = options.onEvent ?? ((): void => undefined);
  const auth = options.signIn
    ? createAuthSession({
        server: options.source.url, dataDir: options.dataDir, keyWrap: options.keyWrap, settings: options.signIn,
        expectedUser: options.reviewer ? `Practitioner/${options.reviewer.practitionerId}` : null,
        onChange: (status) => {
          emit('auth.changed', status);
          if (status.state === 'signed-in') outcomes.serverReachable(); // what waited for sign-in goes now
        },
      })
    : null;
  const fhir = createFhirClient({ ...options.fhir, auth, baseUrl: options.source.url });
  const pyramidStore = createPyramidStore(db);
  const tiles = createTileStore(join(options.dataDir, TILES_FOLDER), createTileCipher(cache.tileKey));
  const pyramids = createImagePyramids(pyramidStore, tiles, fhir);
  const ledger = createSyncLedger(db, cases);
  // A claim is made while the consultant waits: short timeout, one retry.
  const claimFhir = createFhirClient({ timeoutMs: 8000, ...options.fhir, auth, retry: { maxAttempts: 2, ...options.fhir?.retry }, baseUrl: options.source.url });
  const writer = createCacheWriter(cache.connection);
  /** What the server cannot do, found by the first sync (its CapabilityStatement): said as a notice. */
  let serverLimits: string[] = [];
  /** This computer's clock against the server's, as the last sync found it: said when far apart. */
  let clockSkew: string | null = null;
  const pull = createPullSync({ fhir, cases, service: options.source.service, reviewerId: options.reviewer?.practitionerId ?? null, onLimits: (messages) => {
    serverLimits = messages;
    emit('desk.notices', notices());
  }, onClockSkew: (ms) => {
    const said = clockSkewMessage(ms);
    if (said === clockSkew) return;
    clockSkew = said;
    emit('desk.notices', notices());
  }, ledger, state: createSyncStateStore(db), writer, onStatus: (status) => emit('sync.status', status) });
  let closed = false;
  let inFlight: Promise<unknown> = Promise.resolve();
  const track = (work: Promise<unknown>): void => {
    inFlight = Promise.allSettled([inFlight, work]);
  };
  const audit = createAuditTrail(db);
  const templates = createTemplateStore(db);
  const actor = options.reviewer?.practitionerId ?? 'unknown';
  // Tiles of pyramids the cache no longer has (a removal stopped before it reached the disk): no
  // pyramid is being built yet, so none is taken from under a build.
  track(Promise.all(pyramidStore.unused(tiles.stored()).map((hash) => tiles.remove(hash))).catch((err: unknown) => {
    console.error('could not remove unused image tiles:', err);
  }));
  const removeFinishedWork = createRetention({
    db, cases, pyramids: pyramidStore, tiles, audit, actor, reviewerId: options.reviewer?.practitionerId ?? null, retentionDays: options.retentionDays ?? DEFAULT_RETENTION_DAYS,
  });
  if (cache.reset) {
    audit.record(actor, 'cache.reset', cache.reset.setAsideAs, `${cache.reset.reason}; unsent outcomes: ${cache.reset.unsentOutcomes ?? 'unknown'}`);
  }
  const journal = openOutcomeJournal(options.dataDir, cache.connection.key);
  /** Why the outcome journal could not be written, if it could not: said until the desk restarts. */
  let journalFailure: string | null = null;
  /** Whether a sync has completed since the desk opened (an outcome whose referral it did not bring is held). */
  let hasSynced = false;
  const outcomes = createOutcomeDesk({
    db, cases, fhir: claimFhir, reviewerId: options.reviewer?.practitionerId ?? null, service: options.source.service, undoMs: options.undoMs ?? UNDO_WINDOW_MS, now: options.outcomeClock,
    onChange: (outcome) => {
      countUnsent();
      emit('outcome.changed', outcome);
    }, track, audit, journal, hasSynced: () => hasSynced,
    onJournalFailure: (err) => {
      journalFailure = journalFailureMessage(err);
      emit('desk.notices', notices());
    },
  });
  const signedOutcomes = createOutcomeStore(db);
  // What the cache lost (deleted, damaged, its log lost in a kill) comes back from the journal
  // before anything counts or sends outcomes.
  try {
    reconcileOutcomes(options.dataDir, db, signedOutcomes, journal);
  } catch (err) {
    // The desk still opens and sends what the cache holds; the consultant is told the journal failed.
    journalFailure = journalFailureMessage(err);
  }
  // Kept outside the encrypted cache, so a lost key can still say what went with it. A failure
  // to write the count must not turn a signature already committed into an error.
  const countUnsent = (): void => {
    try {
      recordUnsentOutcomes(options.dataDir, outcomes.unsentCount());
    } catch (err) {
      console.error('could not record the unsent-outcome count:', err);
    }
  };
  countUnsent();

  const exportForTeaching = createTeachingExport({
    cases, imageSource: (id) => pyramidStore.imageSource(id), consentFhir: claimFhir, imageFhir: fhir, audit, actor,
    signedDiagnosisCode: (referralId) => signedOutcomes.current(referralId)?.draft.diagnosisCode ?? null,
    exportDir: options.teachingExportDir ?? null,
  });

  const holidays = holidayListWarning(londonDate(new Date()));
  const reviewingWithoutOutcome = createReviewsWithoutOutcome(db);
  const notices = (): DeskNotice[] => deskNotices(options.dataDir, {
    serverLimits, clockSkew, keyStore: options.keyWrap.warning ?? null, holidays, journalFailure,
    reviewingWithoutOutcome: () => reviewingWithoutOutcome(options.reviewer?.practitionerId ?? null),
  });

  const lookahead = options.prefetchCases ?? 3;
  const prefetcher = createPrefetcher(cases, pyramids, lookahead, () => {
    if (!closed) pull.refresh();
  });
  const prefetch = (referralId: string | null): void => {
    if (!closed && lookahead > 0) track(prefetcher.prefetchFrom(referralId));
  };

  const sync = async (): Promise<SyncStatus> => {
    const syncing = pull.syncNow();
    track(syncing);
    const status = await syncing;
    if (status.state === 'idle') {
      hasSynced = true;
      try {
        if ((await removeFinishedWork()).length > 0) pull.refresh();
      } catch (err) {
        // Kept for now, and tried again after the next sync: nothing is lost by waiting.
        console.error('could not remove finished work from the cache:', err);
      }
      prefetch(null);
      outcomes.serverReachable(); // what waits in the outbox can go now
      // The referrals being reviewed are known once synced: named in the alert about a journal that could not be read.
      if (mayHaveLost(pendingRecoveries(options.dataDir))) emit('desk.notices', notices());
    }
    return status;
  };

  const handlers: DeskHandlers = {
    'desk.info': async () => {
      const id = options.reviewer?.practitionerId;
      const reviewer = id ? { practitionerId: id, name: cases.practitionerName(id) ?? `Practitioner/${id}` } : null;
      return {
        source: options.source, tileBaseUrl: options.tileBaseUrl, reviewer,
        lockAfterMs: options.lockAfterMs ?? DEFAULT_LOCK_AFTER_MINUTES * 60_000, notices: notices(),
      };
    },
    'queue.list': async () => cases.listQueue(),
    'case.open': async ({ referralId }) => {
      const detail = cases.getCase(referralId);
      if (!detail) throw new NotFound(`referral ${referralId} is not in the cache`);
      audit.record(actor, 'case.opened', referralId, `patient ${detail.nhsNumber}`);
      prefetch(referralId);
      return detail;
    },
    'case.claim': async ({ referralId }) => {
      if (!cases.getCase(referralId)) throw new NotFound(`referral ${referralId} is not in the cache`);
      return claimReview({ fhir: claimFhir, cases, ledger, reviewer: options.reviewer ?? null }, referralId);
    },
    'case.thumbnails': async ({ referralId }) => {
      const detail = cases.getCase(referralId);
      if (!detail) throw new NotFound(`referral ${referralId} is not in the cache`);
      const building = Promise.allSettled(detail.images.map((image) => pyramids.ensure(image.imageId)));
      track(building); // close() waits for builds, so no pyramid is half-written when the desk stops
      const built = await building;
      return detail.images.map((image, index) => {
        const result = built[index] as PromiseSettledResult<Pyramid>;
        return result.status === 'fulfilled'
          ? { imageId: image.imageId, pyramid: result.value, problem: null }
          : { imageId: image.imageId, pyramid: null, problem: result.reason instanceof Error ? result.reason.message : String(result.reason) };
      });
    },
    'image.pyramid': async ({ imageId }) => {
      // Asked for by the viewer: the consultant is looking at this image.
      audit.record(actor, 'image.viewed', imageId);
      const building = pyramids.ensure(imageId);
      track(building);
      return building;
    },
    'teaching.export': async (request) => {
      const exporting = exportForTeaching(request);
      track(exporting); // close() waits, so no export is left half-written
      return exporting;
    },
    'audit.report': async ({ limit }) => audit.report(limit),
    'template.list': async () => templates.list(),
    'template.save': async (template) => templates.save(template),
    'template.delete': async ({ id }) => {
      templates.remove(id);
      return templates.list();
    },
    'sync.status': async () => pull.status(),
    'sync.now': async () => sync(),
    'sync.problems': async () => ledger.problems(),
    'desk.acknowledge': async ({ id }) => {
      acknowledgeNotice(options.dataDir, id, audit, actor);
      return notices();
    },
    'auth.status': async () => auth?.status() ?? { state: 'not-needed', user: null, problem: null },
    'auth.signIn': async () => {
      if (!auth) return { state: 'not-needed', user: null, problem: null };
      const status = await auth.signIn();
      if (status.state === 'signed-in' && !closed) void sync();
      return status;
    },
    ...outcomes.handlers,
  };

  outcomes.wake(); // outcomes a crash or a closed desk left in the outbox go now

  return {
    handlers,
    readTile: (address) => pyramids.readTile(address),
    sync,
    settled: async () => {
      await writer.started();
      // Work may queue more work (a sync starts prefetching): wait until nothing new was added.
      for (let seen = inFlight; ; seen = inFlight) {
        await seen;
        if (seen === inFlight) return;
      }
    },
    async close() {
      closed = true;
      prefetcher.stop();
      outcomes.stop();
      auth?.close(); // a sync waiting on the browser would otherwise hold the close for minutes
      // Nothing waits for a server: a slow or looping one would hold the close for as long as it
      // liked. A sync stopped here keeps what it committed and its checkpoint does not move; an
      // outcome being sent stays in the outbox and goes at the next start.
      fhir.stop();
      claimFhir.stop();
      await inFlight;
      await writer.close();
      db.close();
    },
  };
}
