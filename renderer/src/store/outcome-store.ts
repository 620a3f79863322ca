/**
 * The outcome being written for the open case, and every signed outcome with its state (kept
 * current by the main process's outcome.changed events). What is written is kept per referral in
 * the cache as the consultant types (draft.save), so it survives moving to another case, closing
 * it and restarting the desk, until signed or discarded on purpose (Alt+D).
 */
import { create } from 'zustand';
import { EMPTY_DRAFT, type OutcomeDraft, type SetAsideHow, type SignedOutcome } from '../../../shared/outcome/outcome';
import type { OutcomeField, OutcomeKind } from '../../../shared/outcome/outcome-kinds';
import { BUILT_IN_TEMPLATES, type UserTemplate } from '../../../shared/outcome/templates';
import { desk, reasonFrom } from '../desk';

export interface OutcomeState {
  /** The referral whose outcome is being written. */
  referralId: string | null;
  draft: OutcomeDraft;
  /** Errors are shown once the consultant has tried to sign. */
  showErrors: boolean;
  signing: boolean;
  /** Counts attempts to sign, so the form can take the consultant to the first thing to fix. */
  attempts: number;
  /** Why the main process refused to sign or undo, if it did. */
  refusal: string | null;
  outcomes: SignedOutcome[];
  /** The consultant's own templates. */
  userTemplates: UserTemplate[];

  /** Keeps what was written for the case before, and brings back what was kept for this one. */
  open: (referralId: string) => void;
  /** Writes what is waiting to be kept, now (the case is closing). */
  keepNow: () => void;
  /** Empties the form and forgets what was kept for this case. */
  discardDraft: () => void;
  setKind: (kind: OutcomeKind) => void;
  setField: (field: OutcomeField, value: string) => void;
  setDiagnosis: (text: string, code: string | null) => void;
  applyTemplate: (templateId: string) => void;
  sign: (referralId: string, canSign: boolean) => Promise<void>;
  undo: (outcomeId: string) => Promise<void>;
  /** An outcome held, not sent: set aside to amend (its draft back in the form), or marked handled elsewhere. */
  setAside: (outcomeId: string, how: SetAsideHow) => Promise<void>;
  load: () => Promise<void>;
  received: (outcome: SignedOutcome) => void;
  /** Saves the current draft as a template on `key`; resolves with the reason if refused. */
  saveTemplate: (name: string, key: string) => Promise<string | null>;
  deleteTemplate: (id: string) => Promise<void>;
}

/** How long typing may pause before what is written is kept. */
const KEEP_AFTER_MS = 400;

/** What was kept for a case, with what was written over it before it had been read (which wins). */
function withinKept(kept: OutcomeDraft, written: OutcomeDraft): OutcomeDraft {
  const filled = Object.fromEntries(Object.entries(written.fields).filter(([, value]) => value));
  return { kind: written.kind ?? kept.kind, diagnosisCode: filled.diagnosis ? written.diagnosisCode : kept.diagnosisCode, fields: { ...kept.fields, ...filled } };
}

/** Nothing written: no outcome chosen, no field filled. */
export const isEmptyDraft = (draft: OutcomeDraft): boolean => draft.kind === null && draft.diagnosisCode === null && Object.values(draft.fields).every((v) => !v);

export const useOutcome = create<OutcomeState>()((set, get) => {
  /** A draft written and not yet kept: for which referral, and the timer that keeps it. */
  let waiting: { referralId: string; timer: ReturnType<typeof setTimeout> } | null = null;
  /**
   * Draft calls (and signing, undoing, setting aside, which end or bring back a draft) one after
   * another, each answered before the next goes: a case reopened reads what was just kept.
   */
  let inOrder: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(call: () => Promise<T>): Promise<T> => {
    const turn = inOrder.then(call, call);
    inOrder = turn.catch(() => undefined);
    return turn;
  };
  const keep = (referralId: string, draft: OutcomeDraft): void => {
    inTurn(() => (isEmptyDraft(draft) ? desk()['draft.discard']({ referralId }) : desk()['draft.save']({ referralId, draft }))).catch((err: unknown) =>
      set({ refusal: `What you wrote could not be kept: ${reasonFrom(err)}` }),
    );
  };
  const keepNow = (): void => {
    if (!waiting) return;
    clearTimeout(waiting.timer);
    const { referralId } = waiting;
    waiting = null;
    keep(referralId, get().draft);
  };
  /** The draft changed: kept once typing pauses. */
  const edited = (draft: OutcomeDraft): void => {
    sinceOpen.edited = true;
    set({ draft, refusal: null });
    const { referralId } = get();
    if (!referralId) return;
    if (waiting) clearTimeout(waiting.timer);
    waiting = { referralId, timer: setTimeout(keepNow, KEEP_AFTER_MS) };
  };
  /** Signed, or kept by the main process itself: nothing waits. */
  const settle = (): void => {
    if (waiting) clearTimeout(waiting.timer);
    waiting = null;
  };
  /** Counts cases opened: an answer for a case no longer open is dropped. */
  let opened = 0;
  /** What the consultant did in the form before what was kept for the case had been read. */
  let sinceOpen = { edited: false, discarded: false };
  /** The form is still on the case it was when `turn` was taken. */
  const stillOn = (turn: number, referralId: string): boolean => turn === opened && get().referralId === referralId;
  return {
    referralId: null,
    draft: EMPTY_DRAFT,
    showErrors: false,
    signing: false,
    attempts: 0,
    refusal: null,
    outcomes: [],
    userTemplates: [],

    open(referralId) {
      keepNow();
      const turn = ++opened;
      sinceOpen = { edited: false, discarded: false };
      set({ referralId, draft: EMPTY_DRAFT, showErrors: false, refusal: null });
      inTurn(() => desk()['draft.get']({ referralId })).then(
        (kept) => {
          // Into the form it was kept for, only while that case is still open, and not once discarded.
          if (!kept || !stillOn(turn, referralId) || sinceOpen.discarded) return;
          if (!sinceOpen.edited) set({ draft: kept });
          else edited(withinKept(kept, get().draft)); // keys pressed before it was read: both stay
        },
        (err: unknown) => {
          if (stillOn(turn, referralId)) set({ refusal: `What you wrote for this case before could not be read: ${reasonFrom(err)}` });
        },
      );
    },
    keepNow,
    discardDraft() {
      sinceOpen.discarded = true;
      settle();
      const { referralId } = get();
      set({ draft: EMPTY_DRAFT, showErrors: false, refusal: null });
      if (referralId) keep(referralId, EMPTY_DRAFT);
    },
    setKind: (kind) => edited({ ...get().draft, kind }),
    setField: (field, value) => edited({ ...get().draft, fields: { ...get().draft.fields, [field]: value } }),
    setDiagnosis: (text, code) => edited({ ...get().draft, diagnosisCode: code, fields: { ...get().draft.fields, diagnosis: text } }),
    applyTemplate(templateId) {
      const template = [...BUILT_IN_TEMPLATES, ...get().userTemplates].find((t) => t.id === templateId);
      // The template fills the form; what the consultant already wrote in other fields stays.
      if (template) edited({ ...template.draft, fields: { ...get().draft.fields, ...template.draft.fields } });
    },
    async sign(referralId, canSign) {
      set({ showErrors: true, attempts: get().attempts + 1 });
      if (!canSign || get().signing) return;
      set({ signing: true });
      try {
        keepNow(); // kept first: a refused signing leaves the draft as it was written (a signed one is let go by the main process)
        const { draft } = get(); // what the consultant saw when they signed
        const turn = opened;
        get().received(await inTurn(() => desk()['outcome.sign']({ referralId, draft })));
        // The form emptied only if it is still this case's: the next case may already be open, its own draft in it.
        if (stillOn(turn, referralId)) set({ draft: EMPTY_DRAFT, showErrors: false, refusal: null });
      } catch (err) {
        set({ refusal: reasonFrom(err) });
      } finally {
        set({ signing: false });
      }
    },
    async undo(outcomeId) {
      const turn = opened;
      try {
        const undone = await inTurn(() => desk()['outcome.undo']({ outcomeId }));
        get().received(undone);
        // The signed draft comes back to its own case's form (kept again by the main process),
        // never to another case opened meanwhile: it is found there when that case opens.
        if (stillOn(turn, undone.referralId)) {
          settle();
          set({ draft: undone.draft, refusal: null });
        }
      } catch (err) {
        set({ refusal: reasonFrom(err) });
      }
    },
    async setAside(outcomeId, how) {
      const turn = opened;
      try {
        const settled = await inTurn(() => desk()['outcome.setAside']({ outcomeId, how }));
        get().received(settled);
        // Amended: what was signed comes back to its own case's form, to be changed and signed again.
        if (!stillOn(turn, settled.referralId)) return;
        if (how === 'amend') {
          settle();
          set({ draft: settled.draft, refusal: null });
        } else set({ refusal: null });
      } catch (err) {
        set({ refusal: reasonFrom(err) });
      }
    },
    async load() {
      const [outcomes, userTemplates] = await Promise.all([desk()['outcome.list'](undefined), desk()['template.list'](undefined)]);
      set({ outcomes, userTemplates });
    },
    async saveTemplate(name, key) {
      try {
        const saved = await desk()['template.save']({ name, key, draft: get().draft });
        set({ userTemplates: [...get().userTemplates, saved].sort((a, b) => a.name.localeCompare(b.name)) });
        return null;
      } catch (err) {
        return reasonFrom(err);
      }
    },
    async deleteTemplate(id) {
      set({ userTemplates: await desk()['template.delete']({ id }) });
    },
    received(outcome) {
      const others = get().outcomes.filter((o) => o.outcomeId !== outcome.outcomeId);
      set({ outcomes: [outcome, ...others].sort((a, b) => b.signedAt.localeCompare(a.signedAt)) });
    },
  };
});
