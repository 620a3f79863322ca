/** Where the data comes from and how fresh it is, always in view. */
import { useMemo } from 'react';
import { useDesk } from '../store/desk-store';
import { useOutcome } from '../store/outcome-store';
import { countQueue } from '../../../shared/queue/queue-filter';
import { formatClock, today } from './format';

const STATE_LABELS = { idle: 'Up to date', syncing: 'Syncing…', offline: 'Offline: working from the cache', failed: 'Sync failed' } as const;

export function SyncBar(): React.JSX.Element {
  const sync = useDesk((s) => s.sync);
  const info = useDesk((s) => s.info);
  // The worklist's own count (withdrawn referrals stay in it, marked), so the bar and the queue always agree.
  // Counted when the queue or the decisions change, not at every change of the desk's state (each j).
  const queue = useDesk((s) => s.queue);
  const decided = useDesk((s) => s.decided);
  const toDo = useMemo(() => countQueue(queue, today(), decided).toDo, [queue, decided]);
  // Outcomes that need the consultant: held (withdrawn meanwhile, refused by the server) or not yet sent.
  // Selected as text, not as a new list each time: a selector's result is compared by identity.
  const heldReasons = useOutcome((s) => s.outcomes.filter((o) => o.state === 'held').map((o) => o.problem ?? 'open the case to see why').join('\n'));
  const held = heldReasons === '' ? [] : heldReasons.split('\n');
  const unsent = useOutcome((s) => s.outcomes.filter((o) => o.state === 'failed').length);
  return (
    <div className={`sync-bar ${sync?.state ?? ''}`} role="status" aria-live="polite">
      <span className="app-name">Derm Review Desk</span>
      <span>{toDo} to do</span>
      <span>
        {sync ? STATE_LABELS[sync.state] : 'Connecting…'}
        {sync?.state === 'syncing' && sync.resourcesReceived > 0 && ` ${sync.resourcesReceived.toLocaleString('en-GB')} records`}
      </span>
      {sync && sync.images.total > 0 && (
        <span>
          Images ready {sync.images.ready} of {sync.images.total}
        </span>
      )}
      {held.length > 0 && (
        // A reason in the server's words on one line; every one on hover, each whole in its case.
        <span className="problem held" role="alert" title={heldReasons}>
          {held.length} outcome{held.length === 1 ? '' : 's'} held, not sent: {held[0]}
        </span>
      )}
      {unsent > 0 && <span className="problem" title="Each is shown with its reason in its case">{unsent} outcome{unsent === 1 ? '' : 's'} waiting to be sent again</span>}
      <span>Last synced {sync?.lastSuccessAt ? formatClock(sync.lastSuccessAt) : 'never'}</span>
      {sync?.problem && <span className="problem" title={sync.problem}>{sync.problem}</span>}
      {sync && sync.problemCount > 0 && (
        <button type="button" className="problems-toggle" onClick={() => void useDesk.getState().toggleProblems()}>
          {sync.problemCount} sync problem{sync.problemCount === 1 ? '' : 's'} (P)
        </button>
      )}
      {/* Whose work this is: the desk takes only referrals addressed to this service. */}
      {info && <span className="source" title={`Referrals addressed to ${info.source.service}, from ${info.source.url}`}>{info.source.service} · {info.source.url}</span>}
      {/* Every action by mouse too: the palette lists them all. */}
      <button type="button" className="bar-button" onClick={() => useDesk.setState({ paletteOpen: true })}>
        Actions <kbd>Ctrl+K</kbd>
      </button>
      <button type="button" className="bar-button" onClick={() => useDesk.setState({ helpOpen: true })}>
        Keys <kbd>?</kbd>
      </button>
    </div>
  );
}
