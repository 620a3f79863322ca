/**
 * What the desk must tell the consultant about itself (a cache that could not be opened and was
 * replaced, a key kept without a keyring): shown above everything until read and dismissed.
 */
import { useState } from 'react';
import { useDesk } from '../store/desk-store';

export function DeskNotices(): React.JSX.Element | null {
  // Selected as is: a fresh [] from the selector would re-render for ever.
  const notices = useDesk((s) => s.info?.notices);
  const [dismissed, setDismissed] = useState<ReadonlySet<number>>(new Set());
  const showing = (notices ?? []).map((notice, index) => ({ notice, index })).filter(({ index }) => !dismissed.has(index));
  if (showing.length === 0) return null;
  return (
    <div className="desk-notices">
      {showing.map(({ notice, index }) => (
        <div key={index} className={`desk-notice ${notice.level}`} role={notice.level === 'alert' ? 'alert' : 'status'}>
          <p>{notice.message}</p>
          <button type="button" onClick={() => setDismissed(new Set([...dismissed, index]))}>
            I have read this
          </button>
        </div>
      ))}
    </div>
  );
}
