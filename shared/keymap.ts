/**
 * Every keyboard shortcut, in one place. The renderer's key handling and the help overlay are
 * both derived from this list; the outcome kinds' number keys and the templates' keys come from
 * their own tables, so each is written once.
 */
import { OUTCOME_KIND, OUTCOME_KINDS, type OutcomeKind } from './outcome/outcome-kinds';
import { BUILT_IN_TEMPLATES, type UserTemplate } from './outcome/templates';
import { URGENCIES, URGENCY, type Urgency } from './outcome/urgency';

/**
 * queue: the list; case: a case open, viewer in front; outcome: the outcome form has focus;
 * help: the key list is open; palette: the command palette is open (its field takes the typing).
 */
export type KeyScope = 'queue' | 'case' | 'outcome' | 'help' | 'palette';

export type KeyAction =
  | 'queue.next'
  | 'queue.previous'
  | 'queue.first'
  | 'queue.last'
  | 'queue.open'
  | 'queue.sync'
  | 'queue.problems'
  | 'queue.audit'
  | 'queue.filterState'
  | 'queue.filterPriority'
  | 'queue.filterOverdue'
  | 'queue.filterClear'
  | 'session.summary'
  | 'session.lock'
  | 'palette.open'
  | 'palette.run'
  | 'palette.next'
  | 'palette.previous'
  | 'palette.close'
  | 'help.open'
  | 'help.close'
  | 'case.back'
  | 'case.nextCase'
  | 'case.previousCase'
  | 'case.nextImage'
  | 'case.previousImage'
  | 'case.exportForTeaching'
  | 'case.consents'
  | 'case.questionnaire'
  | 'viewer.zoomIn'
  | 'viewer.zoomOut'
  | 'viewer.fit'
  | 'viewer.actualPixels'
  | 'viewer.rotate'
  | 'viewer.panLeft'
  | 'viewer.panRight'
  | 'viewer.panUp'
  | 'viewer.panDown'
  | 'viewer.compare'
  | 'viewer.compareEarlier'
  | 'outcome.focus'
  | 'outcome.leave'
  | 'outcome.sign'
  | 'outcome.undo'
  | 'outcome.amend'
  | 'outcome.handledElsewhere'
  | 'outcome.discardDraft'
  | `outcome.kind.${OutcomeKind}`
  | `outcome.urgency.${Urgency}`
  | `outcome.template.${string}`;

export interface KeyBinding {
  action: KeyAction;
  /** Keys as "Ctrl+Enter", "Alt+1" or a KeyboardEvent.key such as "j". Plain keys never fire while typing. */
  keys: readonly string[];
  scopes: readonly KeyScope[];
  label: string;
}

const CASE_AND_FORM: readonly KeyScope[] = ['case', 'outcome'];

export const KEYMAP: readonly KeyBinding[] = [
  { action: 'queue.next', keys: ['j', 'ArrowDown'], scopes: ['queue'], label: 'Next referral' },
  { action: 'queue.previous', keys: ['k', 'ArrowUp'], scopes: ['queue'], label: 'Previous referral' },
  { action: 'queue.first', keys: ['Home', 'g'], scopes: ['queue'], label: 'First referral' },
  { action: 'queue.last', keys: ['End', 'G'], scopes: ['queue'], label: 'Last referral' },
  { action: 'queue.open', keys: ['Enter'], scopes: ['queue'], label: 'Open the selected referral' },
  { action: 'queue.sync', keys: ['s'], scopes: ['queue'], label: 'Sync with the server now' },
  { action: 'queue.problems', keys: ['P'], scopes: ['queue'], label: 'Show or hide sync problems' },
  { action: 'queue.audit', keys: ['A'], scopes: ['queue'], label: 'Show or hide the audit trail' },
  { action: 'queue.filterState', keys: ['t'], scopes: ['queue'], label: 'Filter by state: awaiting review, in review, withdrawn, done, everything, back to the worklist' },
  { action: 'queue.filterPriority', keys: ['u'], scopes: ['queue'], label: 'Filter by referrer priority: urgent suspected cancer, urgent, routine, all' },
  { action: 'queue.filterOverdue', keys: ['d'], scopes: ['queue'], label: 'Show only overdue referrals (past their review due date), or all' },
  { action: 'queue.filterClear', keys: ['x'], scopes: ['queue'], label: 'Clear the filters' },
  { action: 'session.summary', keys: ['S'], scopes: ['queue'], label: "Show or hide this session's summary" },
  { action: 'session.lock', keys: ['Ctrl+l'], scopes: ['queue', 'case', 'outcome'], label: 'Lock the desk now (patient details hidden until unlocked)' },
  { action: 'palette.open', keys: ['Ctrl+k'], scopes: ['queue', 'case', 'outcome'], label: 'Find and run any action by name' },
  { action: 'palette.next', keys: ['ArrowDown'], scopes: ['palette'], label: 'Next action' },
  { action: 'palette.previous', keys: ['ArrowUp'], scopes: ['palette'], label: 'Previous action' },
  { action: 'palette.run', keys: ['Enter'], scopes: ['palette'], label: 'Run the chosen action' },
  { action: 'palette.close', keys: ['Escape'], scopes: ['palette'], label: 'Close without running anything' },
  { action: 'help.open', keys: ['?'], scopes: ['queue', 'case', 'outcome'], label: 'Show these keys' },
  { action: 'help.close', keys: ['Escape', '?'], scopes: ['help'], label: 'Close this list' },
  { action: 'case.back', keys: ['Escape'], scopes: ['case'], label: 'Back to the queue' },
  { action: 'case.nextCase', keys: ['j'], scopes: ['case'], label: 'Next referral in the queue (opens it)' },
  { action: 'case.previousCase', keys: ['k'], scopes: ['case'], label: 'Previous referral in the queue (opens it)' },
  { action: 'case.nextImage', keys: [']'], scopes: ['case'], label: 'Next image' },
  { action: 'case.previousImage', keys: ['['], scopes: ['case'], label: 'Previous image' },
  {
    action: 'case.exportForTeaching',
    keys: ['e'],
    scopes: ['case'],
    label: "Export this image for teaching (anonymised; only with the patient's teaching consent)",
  },
  { action: 'case.consents', keys: ['C'], scopes: ['case'], label: "Go to the patient's consents, with when each was recorded" },
  { action: 'case.questionnaire', keys: ['q'], scopes: ['case'], label: "Go to the GP's questionnaire answers" },
  { action: 'viewer.zoomIn', keys: ['+', '='], scopes: ['case'], label: 'Zoom in' },
  { action: 'viewer.zoomOut', keys: ['-'], scopes: ['case'], label: 'Zoom out' },
  { action: 'viewer.fit', keys: ['0'], scopes: ['case'], label: 'Fit the image to the screen' },
  { action: 'viewer.actualPixels', keys: ['z'], scopes: ['case'], label: 'Zoom to one image pixel to one screen pixel' },
  { action: 'viewer.rotate', keys: ['r'], scopes: ['case'], label: 'Rotate a quarter turn' },
  { action: 'viewer.panLeft', keys: ['ArrowLeft'], scopes: ['case'], label: 'Pan left' },
  { action: 'viewer.panRight', keys: ['ArrowRight'], scopes: ['case'], label: 'Pan right' },
  { action: 'viewer.panUp', keys: ['ArrowUp'], scopes: ['case'], label: 'Pan up' },
  { action: 'viewer.panDown', keys: ['ArrowDown'], scopes: ['case'], label: 'Pan down' },
  { action: 'viewer.compare', keys: ['c'], scopes: ['case'], label: 'Compare with the next image, side by side, zoom and pan locked (again to stop)' },
  { action: 'viewer.compareEarlier', keys: ['p'], scopes: ['case'], label: 'Compare with the same site in an earlier referral (again to stop)' },
  { action: 'outcome.focus', keys: ['o'], scopes: ['case'], label: 'Go to the outcome form' },
  { action: 'outcome.leave', keys: ['Escape'], scopes: ['outcome'], label: 'Leave the outcome form (back to the images)' },
  { action: 'outcome.sign', keys: ['Ctrl+Enter'], scopes: CASE_AND_FORM, label: 'Sign and send the outcome' },
  { action: 'outcome.undo', keys: ['Alt+u'], scopes: CASE_AND_FORM, label: 'Undo the outcome just signed (10 seconds)' },
  { action: 'outcome.amend', keys: ['Alt+a'], scopes: CASE_AND_FORM, label: 'Amend an outcome held, not sent, and sign it again' },
  { action: 'outcome.handledElsewhere', keys: ['Alt+h'], scopes: CASE_AND_FORM, label: 'Mark an outcome held, not sent, as handled elsewhere' },
  { action: 'outcome.discardDraft', keys: ['Alt+d'], scopes: CASE_AND_FORM, label: 'Discard the outcome being written for this case (it is kept until signed or discarded)' },
  ...OUTCOME_KINDS.map((kind) => ({
    action: `outcome.kind.${kind}` as const,
    keys: [OUTCOME_KIND[kind].key],
    scopes: CASE_AND_FORM,
    label: `Outcome: ${OUTCOME_KIND[kind].label}`,
  })),
  ...URGENCIES.map((urgency, index) => ({
    action: `outcome.urgency.${urgency}` as const,
    keys: [`Alt+${index + 1}`],
    scopes: CASE_AND_FORM,
    label: `Urgency: ${URGENCY[urgency].label}`,
  })),
  ...BUILT_IN_TEMPLATES.map((template) => ({
    action: `outcome.template.${template.id}` as const,
    keys: [template.key],
    scopes: CASE_AND_FORM,
    label: `Template: ${template.name}`,
  })),
];

/** How a key press is written in the keymap: modifiers first, then the key. */
export function chordOf(event: { key: string; ctrlKey: boolean; altKey: boolean; metaKey: boolean }): string {
  const key = event.key.length === 1 && event.altKey ? event.key.toLowerCase() : event.key;
  return `${event.ctrlKey || event.metaKey ? 'Ctrl+' : ''}${event.altKey ? 'Alt+' : ''}${key}`;
}

/** Keys the desk binds over a case or in the form; a template saved on one before the desk took it loses it. */
const deskKeys = (): Set<string> => new Set(KEYMAP.filter((b) => b.scopes.some((s) => CASE_AND_FORM.includes(s))).flatMap((b) => b.keys));

/** A consultant's template whose key the desk now uses for something else (saved before the desk took it). */
export function templateKeyClashes(template: UserTemplate): boolean {
  return deskKeys().has(template.key);
}

/** A consultant's own templates, bound like the built-in ones to the keys they chose, unless the desk's key wins. */
export function userTemplateBindings(templates: readonly UserTemplate[]): KeyBinding[] {
  return templates.filter((t) => !templateKeyClashes(t)).map((t) => ({ action: `outcome.template.${t.id}`, keys: [t.key], scopes: CASE_AND_FORM, label: `Your template: ${t.name}` }));
}

/** Letters a new template can take: not bound to anything over a case or in the outcome form. */
export function freeTemplateKeys(own: readonly UserTemplate[]): string[] {
  const taken = new Set([...KEYMAP, ...userTemplateBindings(own)].filter((b) => b.scopes.some((s) => CASE_AND_FORM.includes(s))).flatMap((b) => b.keys));
  return [...'abcdefghijklmnopqrstuvwxyz'].filter((letter) => !taken.has(letter));
}

/** The keys of an action, as the keymap gives them: for a key shown beside what it does. */
export function keysOf(action: KeyAction): readonly string[] {
  return KEYMAP.find((binding) => binding.action === action)?.keys ?? [];
}

/**
 * Keys that do one thing in the queue and another over a case (the consultant's own templates
 * among them, when given): said in the list of keys, so that no key means two things without
 * the desk saying so.
 */
export function keysDifferingByScope(bindings: readonly KeyBinding[] = KEYMAP): { key: string; queue: string; case: string }[] {
  // The first binding of a key in a scope is the one that acts (actionForKey), so the first is kept.
  const inScope = (scope: KeyScope): Map<string, KeyBinding> => {
    const found = new Map<string, KeyBinding>();
    for (const b of bindings) if (b.scopes.includes(scope)) for (const k of b.keys) if (!found.has(k)) found.set(k, b);
    return found;
  };
  const queue = inScope('queue');
  return [...inScope('case')].flatMap(([key, there]) => {
    const here = queue.get(key);
    if (!here || here.action === there.action || SAME_STEP[there.action] === here.action) return [];
    return [{ key, queue: here.label, case: there.label }];
  });
}

/** Over a case, j and k step through the queue as they do in it (opening the referral). */
const SAME_STEP: Partial<Record<KeyAction, KeyAction>> = { 'case.nextCase': 'queue.next', 'case.previousCase': 'queue.previous' };

/** The action a chord means in a scope, if any; `extra` holds bindings made at run time. */
export function actionForKey(scope: KeyScope, chord: string, extra: readonly KeyBinding[] = []): KeyAction | undefined {
  return [...KEYMAP, ...extra].find((binding) => binding.scopes.includes(scope) && binding.keys.includes(chord))?.action;
}
