/** The desk's frame: demo banner, sync status, and either the queue or the open case. */
import { useEffect } from 'react';
import { desk } from '../desk';
import { CaseView } from '../features/case/CaseView';
import { CommandPalette } from '../features/keyboard/CommandPalette';
import { HelpOverlay } from '../features/keyboard/HelpOverlay';
import { QueueView } from '../features/queue/QueueView';
import { useDesk } from '../store/desk-store';
import { useOutcome } from '../store/outcome-store';
import { AuditPanel } from './AuditPanel';
import { DeskNotices } from './DeskNotices';
import { LockScreen } from './LockScreen';
import { SignInBanner } from './SignInBanner';
import { useIdleLock } from './useIdleLock';
import { SessionSummary } from './SessionSummary';
import { SyncBar } from './SyncBar';
import { SyncProblems } from './SyncProblems';

export function App(): React.JSX.Element {
  const info = useDesk((s) => s.info);
  const openCase = useDesk((s) => s.openCase);
  const error = useDesk((s) => s.error);
  const locked = useDesk((s) => s.locked);
  useIdleLock();

  useEffect(() => {
    const { start, setSync, setNotices } = useDesk.getState();
    const { load, received } = useOutcome.getState();
    const stops = [desk().onEvent('sync.status', setSync), desk().onEvent('outcome.changed', received), desk().onEvent('desk.notices', setNotices)];
    void start();
    void load();
    return () => stops.forEach((stop) => stop());
  }, []);

  if (locked) return <LockScreen />;
  return (
    <div className="app">
      {info?.source.kind === 'demo' && (
        <div className="demo-banner" role="note">
          Demo data: synthetic patients from the built-in hub. Not real people; not for clinical use.
        </div>
      )}
      <DeskNotices />
      <SignInBanner />
      <SyncBar />
      {error && <div className="error-banner" role="alert">{error}</div>}
      <SyncProblems />
      <AuditPanel />
      <SessionSummary />
      <main>{openCase ? <CaseView detail={openCase} /> : <QueueView />}</main>
      <HelpOverlay />
      <CommandPalette />
    </div>
  );
}
