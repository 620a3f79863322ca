/**
 * Binds the shared keymap's actions for one scope to handlers. Single keys never fire while the
 * consultant is typing in a field, and never with Ctrl, Alt or Meta held.
 */
import { useEffect, useRef } from 'react';
import { actionForKey, type KeyAction, type KeyScope } from '../../../../shared/keymap';

export type KeyHandlers = Partial<Record<KeyAction, () => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useKeymap(scope: KeyScope, handlers: KeyHandlers): void {
  // Handlers change every render; the listener is registered once per scope.
  const latest = useRef(handlers);
  useEffect(() => {
    latest.current = handlers;
  });

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.altKey || event.metaKey || isTyping(event.target)) return;
      const action = actionForKey(scope, event.key);
      const handler = action && latest.current[action];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [scope]);
}
