/**
 * The locked desk: nothing about any patient is on the screen or in the page, only how to carry
 * on. The case and queue are kept in memory and come back as they were on unlocking.
 */
import { useEffect, useRef } from 'react';
import { useDesk } from '../store/desk-store';

export function LockScreen(): React.JSX.Element {
  const lockAfterMs = useDesk((s) => s.info?.lockAfterMs ?? 0);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  const minutes = Math.round(lockAfterMs / 60_000);
  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-label="Desk locked">
      <h1>Derm Review Desk is locked</h1>
      <p>
        {minutes >= 1 ? `After ${minutes} minute${minutes === 1 ? '' : 's'} without use, or` : 'Without use, or'} when locked with
        Ctrl+L, patient details are hidden.
      </p>
      <button ref={button} type="button" onClick={() => useDesk.setState({ locked: false })}>
        Unlock <kbd>Enter</kbd>
      </button>
    </div>
  );
}
