/**
 * What the desk must tell the consultant about itself (a cache that could not be opened and was
 * replaced, a key kept without a keyring): shown above everything until read. A lasting notice is
 * acknowledged to the desk, so it stays across restarts until then; others are hidden for the session.
 */
import { useState } from 'react';
import type { DeskNotice } from '../../../shared/ipc/contract';
import { desk } from '../desk';
import { useDesk } from '../store/desk-store';

export function DeskNotices(): React.JSX.Element | null {
  // Selected as is: a fresh [] from the selector would re-render for ever.
  const notices = useDesk((s) => s.info?.notices);
  const [hidden, setHidden] = useState<ReadonlySet<DeskNotice['id']>>(new Set());

  const read = (notice: DeskNotice): void => {
    setHidden(new Set([...hidden, notice.id]));
    if (notice.lasting) void desk()['desk.acknowledge']({ id: notice.id });
  };
  const showing = (notices ?? []).filter((notice) => !hidden.has(notice.id));
  if (showing.length === 0) return null;
  return (
    <div className="desk-notices">
      {showing.map((notice, index) => (
        <div key={`${notice.id}-${index}`} className={`desk-notice ${notice.level}`} role={notice.level === 'alert' ? 'alert' : 'status'}>
          <p>{notice.message}</p>
          <button type="button" onClick={() => read(notice)}>
            I have read this
          </button>
        </div>
      ))}
    </div>
  );
}
