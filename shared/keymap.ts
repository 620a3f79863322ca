/**
 * Every keyboard shortcut, in one place. The renderer's key handling and the help overlay are
 * both derived from this list.
 */
export type KeyScope = 'queue' | 'case';

export interface KeyBinding {
  action: KeyAction;
  /** KeyboardEvent.key values that trigger the action. */
  keys: readonly string[];
  scope: KeyScope;
  label: string;
}

export type KeyAction =
  | 'queue.next'
  | 'queue.previous'
  | 'queue.open'
  | 'queue.sync'
  | 'queue.problems'
  | 'case.back'
  | 'case.nextImage'
  | 'case.previousImage';

export const KEYMAP: readonly KeyBinding[] = [
  { action: 'queue.next', keys: ['j', 'ArrowDown'], scope: 'queue', label: 'Next referral' },
  { action: 'queue.previous', keys: ['k', 'ArrowUp'], scope: 'queue', label: 'Previous referral' },
  { action: 'queue.open', keys: ['Enter'], scope: 'queue', label: 'Open the selected referral' },
  { action: 'queue.sync', keys: ['s'], scope: 'queue', label: 'Sync with the server now' },
  { action: 'queue.problems', keys: ['P'], scope: 'queue', label: 'Show or hide sync problems' },
  { action: 'case.back', keys: ['Escape'], scope: 'case', label: 'Back to the queue' },
  { action: 'case.nextImage', keys: [']'], scope: 'case', label: 'Next image' },
  { action: 'case.previousImage', keys: ['['], scope: 'case', label: 'Previous image' },
];

/** The action a key press means in a scope, if any. */
export function actionForKey(scope: KeyScope, key: string): KeyAction | undefined {
  return KEYMAP.find((binding) => binding.scope === scope && binding.keys.includes(key))?.action;
}
