/**
 * Every keyboard shortcut, in one place. The renderer's key handling and the help overlay are
 * both derived from this list; the outcome kinds' number keys and the templates' keys come from
 * their own tables, so each is written once.
 */
import { OUTCOME_KIND, OUTCOME_KINDS, type OutcomeKind } from './outcome/outcome-kinds';
import { BUILT_IN_TEMPLATES, type UserTemplate } from './outcome/templates';
import { URGENCIES, URGENCY, type Urgency } from './outcome/urgency';

/** queue: the list; case: a case open, viewer in front; outcome: the outcome form has focus; help: the key list is open. */
export type KeyScope = 'queue' | 'case' | 'outcome' | 'help';

export type KeyAction =
  | 'queue.next'
  | 'queue.previous'
  | 'queue.open'
  | 'queue.sync'
  | 'queue.problems'
  | 'queue.audit'
  | 'help.open'
  | 'help.close'
  | 'case.back'
  | 'case.nextImage'
  | 'case.previousImage'
  | 'viewer.zoomIn'
  | 'viewer.zoomOut'
  | 'viewer.fit'
  | 'viewer.actualPixels'
  | 'viewer.rotate'
  | 'viewer.panLeft'
  | 'viewer.panRight'
  | 'viewer.panUp'
  | 'viewer.panDown'
  | 'outcome.focus'
  | 'outcome.leave'
  | 'outcome.sign'
  | 'outcome.undo'
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
  { action: 'queue.open', keys: ['Enter'], scopes: ['queue'], label: 'Open the selected referral' },
  { action: 'queue.sync', keys: ['s'], scopes: ['queue'], label: 'Sync with the server now' },
  { action: 'queue.problems', keys: ['P'], scopes: ['queue'], label: 'Show or hide sync problems' },
  { action: 'queue.audit', keys: ['A'], scopes: ['queue'], label: 'Show or hide the audit trail' },
  { action: 'help.open', keys: ['?'], scopes: ['queue', 'case', 'outcome'], label: 'Show these keys' },
  { action: 'help.close', keys: ['Escape', '?'], scopes: ['help'], label: 'Close this list' },
  { action: 'case.back', keys: ['Escape'], scopes: ['case'], label: 'Back to the queue' },
  { action: 'case.nextImage', keys: [']'], scopes: ['case'], label: 'Next image' },
  { action: 'case.previousImage', keys: ['['], scopes: ['case'], label: 'Previous image' },
  { action: 'viewer.zoomIn', keys: ['+', '='], scopes: ['case'], label: 'Zoom in' },
  { action: 'viewer.zoomOut', keys: ['-'], scopes: ['case'], label: 'Zoom out' },
  { action: 'viewer.fit', keys: ['0'], scopes: ['case'], label: 'Fit the image to the screen' },
  { action: 'viewer.actualPixels', keys: ['1'], scopes: ['case'], label: 'One image pixel to one screen pixel' },
  { action: 'viewer.rotate', keys: ['r'], scopes: ['case'], label: 'Rotate a quarter turn' },
  { action: 'viewer.panLeft', keys: ['ArrowLeft'], scopes: ['case'], label: 'Pan left' },
  { action: 'viewer.panRight', keys: ['ArrowRight'], scopes: ['case'], label: 'Pan right' },
  { action: 'viewer.panUp', keys: ['ArrowUp'], scopes: ['case'], label: 'Pan up' },
  { action: 'viewer.panDown', keys: ['ArrowDown'], scopes: ['case'], label: 'Pan down' },
  { action: 'outcome.focus', keys: ['o'], scopes: ['case'], label: 'Go to the outcome form' },
  { action: 'outcome.leave', keys: ['Escape'], scopes: ['outcome'], label: 'Leave the outcome form (back to the images)' },
  { action: 'outcome.sign', keys: ['Ctrl+Enter'], scopes: CASE_AND_FORM, label: 'Sign and send the outcome' },
  { action: 'outcome.undo', keys: ['Alt+u'], scopes: CASE_AND_FORM, label: 'Undo the outcome just signed (10 seconds)' },
  ...OUTCOME_KINDS.map((kind) => ({
    action: `outcome.kind.${kind}` as const,
    keys: [OUTCOME_KIND[kind].key],
    scopes: ['outcome'] as const,
    label: `Outcome: ${OUTCOME_KIND[kind].label}`,
  })),
  ...URGENCIES.map((urgency, index) => ({
    action: `outcome.urgency.${urgency}` as const,
    keys: [`Alt+${index + 1}`],
    scopes: ['outcome'] as const,
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

/** A consultant's own templates, bound like the built-in ones to the keys they chose. */
export function userTemplateBindings(templates: readonly UserTemplate[]): KeyBinding[] {
  return templates.map((t) => ({ action: `outcome.template.${t.id}`, keys: [t.key], scopes: CASE_AND_FORM, label: `Your template: ${t.name}` }));
}

/** Letters a new template can take: not bound to anything over a case or in the outcome form. */
export function freeTemplateKeys(own: readonly UserTemplate[]): string[] {
  const taken = new Set([...KEYMAP, ...userTemplateBindings(own)].filter((b) => b.scopes.some((s) => CASE_AND_FORM.includes(s))).flatMap((b) => b.keys));
  return [...'abcdefghijklmnopqrstuvwxyz'].filter((letter) => !taken.has(letter));
}

/** The action a chord means in a scope, if any; `extra` holds bindings made at run time. */
export function actionForKey(scope: KeyScope, chord: string, extra: readonly KeyBinding[] = []): KeyAction | undefined {
  return [...KEYMAP, ...extra].find((binding) => binding.scopes.includes(scope) && binding.keys.includes(chord))?.action;
}
