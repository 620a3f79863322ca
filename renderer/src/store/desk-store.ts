/**
 * The renderer's state: what the desk is connected to, the queue, which case is open, and sync
 * status. Everything comes from the main process through the bridge; nothing is kept elsewhere.
 */
import { create } from 'zustand';
import type { CaseDetail, Claim, ImageSummary, ReferralSummary } from '../../../shared/domain/referral';
import type { AuditReport } from '../../../shared/audit/audit-entry';
import type { SyncProblem, SyncStatus } from '../../../shared/domain/sync-status';
import type { DeskInfo } from '../../../shared/ipc/contract';
import { desk } from '../desk';
import { useOutcome } from './outcome-store';

export interface DeskState {
  info: DeskInfo | null;
  queue: ReferralSummary[];
  selectedIndex: number;
  openCase: CaseDetail | null;
  /** The open case's claim: asked for after it opens, so images never wait on it. */
  claim: Claim | { state: 'claiming' } | null;
  imageIndex: number;
  sync: SyncStatus | null;
  /** Resources the server sent that could not be read; null while the panel is closed. */
  problems: SyncProblem[] | null;
  /** The audit trail's newest entries and chain check; null while the panel is closed. */
  audit: AuditReport | null;
  /** The list of keys is open. */
  helpOpen: boolean;
  /** A request that failed, in words for the consultant. */
  error: string | null;

  start: () => Promise<void>;
  loadQueue: () => Promise<void>;
  select: (index: number) => void;
  moveSelection: (step: number) => void;
  openSelected: () => Promise<void>;
  claimOpenCase: () => Promise<void>;
  closeCase: () => void;
  stepImage: (step: number) => void;
  /** What opening an image taught: its size (documents carry none) or why it cannot be shown. */
  noteImage: (imageId: string, learned: Partial<Pick<ImageSummary, 'width' | 'height' | 'problem'>>) => void;
  syncNow: () => Promise<void>;
  setSync: (status: SyncStatus) => void;
  toggleProblems: () => Promise<void>;
  toggleAudit: () => Promise<void>;
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export const useDesk = create<DeskState>()((set, get) => ({
  info: null,
  queue: [],
  selectedIndex: 0,
  openCase: null,
  claim: null,
  imageIndex: 0,
  sync: null,
  problems: null,
  audit: null,
  helpOpen: false,
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
    const queue = await desk()['queue.list'](undefined);
    const selected = get().queue[get().selectedIndex]?.referralId;
    const keep = queue.findIndex((r) => r.referralId === selected);
    set({ queue, selectedIndex: keep >= 0 ? keep : Math.min(get().selectedIndex, Math.max(queue.length - 1, 0)) });
  },
  select(index) {
    const { queue } = get();
    if (queue.length === 0) return;
    set({ selectedIndex: Math.max(0, Math.min(queue.length - 1, index)) });
  },
  moveSelection(step) {
    get().select(get().selectedIndex + step);
  },
  async openSelected() {
    const summary = get().queue[get().selectedIndex];
    if (!summary) return;
    try {
      const detail = await desk()['case.open']({ referralId: summary.referralId });
      set({ openCase: detail, imageIndex: 0, error: null, claim: { state: 'claiming' } });
      useOutcome.getState().reset();
      void get().claimOpenCase();
    } catch (err) {
      set({ error: `Could not open the referral for ${summary.patientName}: ${message(err)}` });
    }
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
    set({ openCase: null, imageIndex: 0, claim: null });
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
  setSync(status) {
    const before = get().sync;
    set({ sync: status });
    // Reload the queue when a sync finishes or the cache's count of cases moved.
    const finished = before?.state === 'syncing' && status.state !== 'syncing';
    if (finished || before?.casesInCache !== status.casesInCache) void get().loadQueue();
    if (status.state !== 'syncing' && get().problems) void desk()['sync.problems'](undefined).then((problems) => set({ problems }));
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
}));
