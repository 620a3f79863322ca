/** Where the data comes from and how fresh it is, always in view. */
import { useDesk } from '../store/desk-store';
import { formatClock } from './format';

const STATE_LABELS = { idle: 'Up to date', syncing: 'Syncing…', offline: 'Offline: working from the cache', failed: 'Sync failed' } as const;

export function SyncBar(): React.JSX.Element {
  const sync = useDesk((s) => s.sync);
  const info = useDesk((s) => s.info);
  const queueLength = useDesk((s) => s.queue.length);
  return (
    <div className={`sync-bar ${sync?.state ?? ''}`} role="status" aria-live="polite">
      <span className="app-name">Derm Review Desk</span>
      <span>{queueLength} awaiting review</span>
      <span>{sync ? STATE_LABELS[sync.state] : 'Connecting…'}</span>
      <span>Last synced {sync?.lastSuccessAt ? formatClock(sync.lastSuccessAt) : 'never'}</span>
      {sync?.problem && <span className="problem">{sync.problem}</span>}
      <span className="source">{info?.source.url}</span>
    </div>
  );
}
