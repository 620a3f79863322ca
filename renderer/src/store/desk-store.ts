/**
 * The renderer's state: what the desk is connected to, the queue, which case is open, and sync
 * status. Everything comes from the main process through the bridge; nothing is kept elsewhere.
 */
import { create } from 'zustand';
import type { CaseDetail, Claim, ImageSummary, ReferralSummary } from '../../../shared/domain/referral';
import type { AuditReport } from '../../../shared/audit/audit-entry';
import type { SyncProblem, SyncStatus } from '../../../shared/domain/sync-status';
import type { DeskInfo } from '../../../shared/ipc/contract';
import { earlierComparison, nextImageComparison, pickedEarlierComparison, type Comparison } from '../../../shared/domain/comparison';
import { filterQueue, NO_FILTER, type Decided, type QueueFilter } from '../../../shared/queue/queue-filter';
import { isDone } from '../../../shared/outcome/outcome';
import { today } from '../app/format';
import { markStage } from '../app/stage-mark';
import { desk } from '../desk';
import { useOutcome } from './outcome-store';
import { forgetTiles } from '../features/viewer/tile-memory';

export interface DeskState {
  info: DeskInfo | null;
  /** Every referral in the cache's queue, in queue order. */
  queue: ReferralSummary[];
  filter: QueueFilter;
  /** The queue as filtered: what the list shows and what j/k move through. */
  visible: ReferralSummary[];
  /** Referrals signed here whose outcome is on its way or sent: done at once, whatever the server says yet. */
  decided: Decided;
  /** Index into `visible`. */
  selectedIndex: number;
  openCase: CaseDetail | null;
  /** The open case's claim: asked for after it opens, so images never wait on it. */
  claim: Claim | { state: 'claiming' } | null;
  imageIndex: number;
  /** A second image beside the first, zoom and pan locked: the next image (c) or an earlier referral's (p). */
  compare: Comparison | null;
  /** Said once, about the last thing asked (e.g. no earlier referral to compare with). */
  notice: string | null;
  sync: SyncStatus | null;
  /** Resources the server sent that could not be read; null while the panel is closed. */
  problems: SyncProblem[] | null;
  /** The audit trail's newest entries and chain check; null while the panel is closed. */
  audit: AuditReport | null;
  /** The list of keys is open. */
  helpOpen: boolean;
  /** The command palette is open. */
  paletteOpen: boolean;
  /** When this session began (the desk window opened), and when each case was first opened in it. */
  session: { startedAt: string; openedAt: ReadonlyMap<string, string> };
  summaryOpen: boolean;
  /** Idle too long (or locked by the consultant): patient data is off the screen until unlocked. */
  locked: boolean;
  /** A request that failed, in words for the consultant. */
  error: string | null;

  start: () => Promise<void>;
  loadQueue: () => Promise<void>;
  setFilter: (filter: QueueFilter) => void;
  select: (index: number) => void;
  moveSelection: (step: number) => void;
  openSelected: () => Promise<void>;
  /** Opens the referral `step` places along the queue as shown, from the one open now. */
  openAdjacent: (step: number) => Promise<void>;
  claimOpenCase: () => Promise<void>;
  closeCase: () => void;
  toggleCompare: (kind: Comparison['kind']) => void;
  /** Shows this image of an earlier referral beside the image on screen (chosen from the list of them). */
  compareWithEarlier: (referralId: string, imageId: string) => void;
  stepImage: (step: number) => void;
  /** What opening an image taught: its size (documents carry none) or why it cannot be shown. */
  noteImage: (imageId: string, learned: Partial<Pick<ImageSummary, 'width' | 'height' | 'problem' | 'pyramid'>>) => void;
  syncNow: () => Promise<void>;
  setSync: (status: SyncStatus) => void;
  /** The desk's notices as they now stand (the desk.notices event). */
  setNotices: (notices: DeskInfo['notices']) => void;
  toggleProblems: () => Promise<void>;
  toggleAudit: () => Promise<void>;
  toggleSummary: () => void;
  /** Hides every patient detail until unlocked, and lets go of images held in memory. */
  lock: () => void;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The referrals this desk holds a signed outcome for, as the outcome store has them now. */
function decidedNow(): Decided {
  return new Set(useOutcome.getState().outcomes.filter((o) => isDone(o.state)).map((o) => o.referralId));
}

export const useDesk = create<DeskState>()((set, get) => {
  /**
   * The referrals either side of the selected one when it left the list (signed, so done): j and
   * k go on from them, by id, wherever a sync has moved them since.
   */
  let leftBetween: { before: string | undefined; after: string | undefined } | null = null;
  /**
   * Shows `queue` through `filter`, keeping the same referral selected when it is still shown;
   * when it is not (signed, so done), the one that took its place in the list.
   */
  const show = (queue: ReferralSummary[], filter: QueueFilter, decided: Decided = get().decided): void => {
    const { visible: before, selectedIndex } = get();
    const selected = before[selectedIndex]?.referralId;
    const visible = filterQueue(queue, filter, today(), decided);
    const keep = visible.findIndex((r) => r.referralId === selected);
    if (selected !== undefined && keep < 0) {
      const stillShown = (index: number): string | undefined => {
        const id = before[index]?.referralId;
        return visible.some((r) => r.referralId === id) ? id : undefined;
      };
      leftBetween = { before: stillShown(selectedIndex - 1), after: stillShown(selectedIndex + 1) };
    }
    set({ queue, filter, decided, visible, selectedIndex: keep >= 0 ? keep : Math.min(selectedIndex, Math.max(visible.length - 1, 0)) });
  };
  // A signing (or an undo) moves the referral out of (or back into) the worklist at once.
  useOutcome.subscribe((state, before) => {
    if (state.outcomes === before.outcomes) return;
    const decided = decidedNow();
    const was = get().decided;
    if (decided.size !== was.size || [...decided].some((id) => !was.has(id))) show(get().queue, get().filter, decided);
  });

  return {
    info: null,
    queue: [],
    filter: NO_FILTER,
    visible: [],
    decided: new Set(),
    selectedIndex: 0,
    openCase: null,
    claim: null,
    imageIndex: 0,
    compare: null,
    notice: null,
    sync: null,
    problems: null,
    audit: null,
    helpOpen: false,
    paletteOpen: false,
    session: { startedAt: new Date().toISOString(), openedAt: new Map() },
    summaryOpen: false,
    locked: false,
    error: null,

    async start() {
      try {
        const [info, sync] = await Promise.all([desk()['desk.info'](undefined), desk()['sync.status'](undefined)]);
        set({ info, sync });
        await get().loadQueue();
      } catch (err) {
        set({ error: message(err) });
      }
    },
    async loadQueue() {
      show(await desk()['queue.list'](undefined), get().filter);
    },
    setFilter(filter) {
      show(get().queue, filter);
    },
    select(index) {
      const { visible } = get();
      if (visible.length === 0) return;
      set({ selectedIndex: Math.max(0, Math.min(visible.length - 1, index)) });
    },
    moveSelection(step) {
      get().select(get().selectedIndex + step);
    },
    async openSelected() {
      const summary = get().visible[get().selectedIndex];
      if (!summary) return;
      leftBetween = null;
      try {
        const detail = await desk()['case.open']({ referralId: summary.referralId });
        markStage('case-opened');
        const { session } = get();
        const openedAt = session.openedAt.has(detail.referralId)
          ? session.openedAt
          : new Map(session.openedAt).set(detail.referralId, new Date().toISOString());
        set({ openCase: detail, imageIndex: 0, compare: null, notice: null, error: null, claim: { state: 'claiming' }, session: { ...session, openedAt } });
        useOutcome.getState().open(detail.referralId);
        void get().claimOpenCase();
      } catch (err) {
        set({ error: `Could not open the referral for ${summary.patientName}: ${message(err)}` });
      }
    },
    async openAdjacent(step) {
      const { visible, selectedIndex, openCase } = get();
      // From the case open: where it is in the list, or, once it has left it (signed), the place
      // it left, so that j opens the referral that followed it and k the one before.
      const at = visible.findIndex((r) => r.referralId === openCase?.referralId);
      const neighbour = step > 0 ? leftBetween?.after : leftBetween?.before;
      const from = neighbour === undefined ? -1 : visible.findIndex((r) => r.referralId === neighbour);
      // Gone from the list with no neighbour still in it: nothing to step to that side.
      const next = at >= 0 || !openCase ? (at >= 0 ? at : selectedIndex) + step : from;
      if (next < 0 || next >= visible.length) return;
      leftBetween = null;
      set({ selectedIndex: next });
      await get().openSelected();
    },
    async claimOpenCase() {
      const referralId = get().openCase?.referralId;
      if (!referralId) return;
      let claim: Claim;
      try {
        claim = await desk()['case.claim']({ referralId });
      } catch (err) {
        claim = { state: 'not-claimed', reason: message(err) };
      }
      // The consultant may have moved on while the claim was made.
      if (get().openCase?.referralId === referralId) set({ claim });
      void get().loadQueue();
    },
    closeCase() {
      useOutcome.getState().keepNow();
      set({ openCase: null, imageIndex: 0, claim: null, compare: null, notice: null });
    },
    toggleCompare(kind) {
      const { openCase, imageIndex, compare } = get();
      if (!openCase) return;
      if (compare?.kind === kind) {
        set({ compare: null, notice: null });
        return;
      }
      const chosen = kind === 'next' ? nextImageComparison(openCase, imageIndex) : earlierComparison(openCase, imageIndex);
      set('refused' in chosen ? { notice: chosen.refused } : { compare: chosen, notice: null });
    },
    compareWithEarlier(referralId, imageId) {
      const { openCase } = get();
      if (!openCase) return;
      const chosen = pickedEarlierComparison(openCase, referralId, imageId);
      set('refused' in chosen ? { notice: chosen.refused } : { compare: chosen, notice: null });
    },
    stepImage(step) {
      const count = get().openCase?.images.length ?? 0;
      if (count === 0) return;
      set({ imageIndex: (get().imageIndex + step + count) % count });
    },
    noteImage(imageId, learned) {
      const open = get().openCase;
      if (!open) return;
      set({ openCase: { ...open, images: open.images.map((image) => (image.imageId === imageId ? { ...image, ...learned } : image)) } });
    },
    async syncNow() {
      try {
        await desk()['sync.now'](undefined);
      } catch (err) {
        set({ error: message(err) });
      }
    },
    setNotices(notices) {
      const { info } = get();
      if (info) set({ info: { ...info, notices } });
    },
    setSync(status) {
      const before = get().sync;
      set({ sync: status });
      // Reload the queue when a sync finishes or the cache's count of cases moved.
      const finished = before?.state === 'syncing' && status.state !== 'syncing';
      if (finished || before?.casesInCache !== status.casesInCache) void get().loadQueue();
      // Refresh an open problems list; one closed meanwhile stays closed.
      if (status.state !== 'syncing' && get().problems) {
        void desk()['sync.problems'](undefined).then((problems) => {
          if (get().problems) set({ problems });
        });
      }
    },
    async toggleAudit() {
      if (get().audit) {
        set({ audit: null });
        return;
      }
      try {
        set({ audit: await desk()['audit.report']({ limit: 200 }) });
      } catch (err) {
        set({ error: message(err) });
      }
    },
    lock() {
      set({ locked: true, paletteOpen: false, helpOpen: false });
      forgetTiles();
    },
    toggleSummary() {
      set({ summaryOpen: !get().summaryOpen });
    },
    async toggleProblems() {
      if (get().problems) {
        set({ problems: null });
        return;
      }
      try {
        set({ problems: await desk()['sync.problems'](undefined) });
      } catch (err) {
        set({ error: message(err) });
      }
    },
  };
});
