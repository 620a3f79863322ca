/**
 * The outcome being written for the open case, and every signed outcome with its state (kept
 * current by the main process's outcome.changed events).
 */
import { create } from 'zustand';
import { EMPTY_DRAFT, type OutcomeDraft, type SetAsideHow, type SignedOutcome } from '../../../shared/outcome/outcome';
import type { OutcomeField, OutcomeKind } from '../../../shared/outcome/outcome-kinds';
import { BUILT_IN_TEMPLATES, type UserTemplate } from '../../../shared/outcome/templates';
import { desk, reasonFrom } from '../desk';

export interface OutcomeState {
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

  reset: () => void;
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

export const useOutcome = create<OutcomeState>()((set, get) => ({
  draft: EMPTY_DRAFT,
  showErrors: false,
  signing: false,
  attempts: 0,
  refusal: null,
  outcomes: [],
  userTemplates: [],

  reset: () => set({ draft: EMPTY_DRAFT, showErrors: false, refusal: null }),
  setKind: (kind) => set({ draft: { ...get().draft, kind }, refusal: null }),
  setField: (field, value) => set({ draft: { ...get().draft, fields: { ...get().draft.fields, [field]: value } }, refusal: null }),
  setDiagnosis: (text, code) => set({ draft: { ...get().draft, diagnosisCode: code, fields: { ...get().draft.fields, diagnosis: text } } }),
  applyTemplate(templateId) {
    const template = [...BUILT_IN_TEMPLATES, ...get().userTemplates].find((t) => t.id === templateId);
    // The template fills the form; what the consultant already wrote in other fields stays.
    if (template) set({ draft: { ...template.draft, fields: { ...get().draft.fields, ...template.draft.fields } }, refusal: null });
  },
  async sign(referralId, canSign) {
    set({ showErrors: true, attempts: get().attempts + 1 });
    if (!canSign || get().signing) return;
    set({ signing: true });
    try {
      get().received(await desk()['outcome.sign']({ referralId, draft: get().draft }));
      set({ draft: EMPTY_DRAFT, showErrors: false, refusal: null });
    } catch (err) {
      set({ refusal: reasonFrom(err) });
    } finally {
      set({ signing: false });
    }
  },
  async undo(outcomeId) {
    try {
      const undone = await desk()['outcome.undo']({ outcomeId });
      get().received(undone);
      // The signed draft comes back to the form, to be changed and signed again.
      set({ draft: undone.draft, refusal: null });
    } catch (err) {
      set({ refusal: reasonFrom(err) });
    }
  },
  async setAside(outcomeId, how) {
    try {
      const settled = await desk()['outcome.setAside']({ outcomeId, how });
      get().received(settled);
      // Amended: what was signed comes back to the form, to be changed and signed again.
      if (how === 'amend') set({ draft: settled.draft, refusal: null });
      else set({ refusal: null });
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
}));
