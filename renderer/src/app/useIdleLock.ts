/**
 * Locks the desk after the configured time without a key press or pointer movement. Activity is
 * noted without re-rendering anything; a check once a second compares it with the clock.
 */
import { useEffect } from 'react';
import { useDesk } from '../store/desk-store';

const ACTIVITY = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export function useIdleLock(): void {
  const lockAfterMs = useDesk((s) => s.info?.lockAfterMs);
  useEffect(() => {
    if (!lockAfterMs) return;
    let lastActivity = Date.now();
    const noteActivity = (): void => {
      lastActivity = Date.now();
    };
    for (const type of ACTIVITY) window.addEventListener(type, noteActivity, { capture: true, passive: true });
    const check = setInterval(() => {
      if (!useDesk.getState().locked && Date.now() - lastActivity >= lockAfterMs) {
        useDesk.getState().lock();
      }
    }, Math.min(1000, lockAfterMs / 4));
    return () => {
      clearInterval(check);
      for (const type of ACTIVITY) window.removeEventListener(type, noteActivity, { capture: true });
    };
  }, [lockAfterMs]);
}
