/**
 * Binds the shared keymap's actions for one scope to handlers. The scope of a key press is the
 * nearest `data-keyscope` around the focused element, else the page's own. Plain keys never fire
 * while the consultant is typing in a field; Ctrl and Alt chords do.
 */
import { useEffect, useRef } from 'react';
import { actionForKey, chordOf, type KeyBinding, type KeyScope } from '../../../../shared/keymap';
import { registerHandlers, type KeyHandlers } from './active-commands';

export type { KeyHandlers };

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function scopeOf(target: EventTarget | null, page: KeyScope | null): KeyScope | null {
  const marked = target instanceof HTMLElement ? target.closest<HTMLElement>('[data-keyscope]') : null;
  return (marked?.dataset.keyscope as KeyScope | undefined) ?? page;
}

/**
 * `page` is the scope of key presses outside any `data-keyscope` element (null: such presses
 * are not this listener's); `extra` holds bindings made at run time (the consultant's own templates).
 */
export function useKeymap(scope: KeyScope, handlers: KeyHandlers, page: KeyScope | null = scope, extra: readonly KeyBinding[] = []): void {
  // Handlers change every render; the listener is registered once per scope.
  const latest = useRef({ handlers, extra });
  useEffect(() => {
    latest.current = { handlers, extra };
  });

  useEffect(() => registerHandlers({ scope, current: () => latest.current }), [scope]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (scopeOf(event.target, page) !== scope) return;
      const chord = chordOf(event);
      const plain = !event.ctrlKey && !event.altKey && !event.metaKey;
      if (plain && isTyping(event.target) && event.key !== 'Escape') return;
      const action = actionForKey(scope, chord, latest.current.extra);
      const handler = action && latest.current.handlers[action];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [scope, page]);
}
