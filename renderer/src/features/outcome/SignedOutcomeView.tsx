/** A signed outcome: what the GP will read, and where it is on its way (with undo while it can). */
import { useEffect, useState } from 'react';
import { outcomeLetter } from '../../../../shared/outcome/letter';
import type { SignedOutcome } from '../../../../shared/outcome/outcome';
import { formatClock } from '../../app/format';
import { useOutcome } from '../../store/outcome-store';

function useSecondsLeft(until: string, active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
}

export function SignedOutcomeView({ outcome, signerName }: { outcome: SignedOutcome; signerName: string }): React.JSX.Element {
  const refusal = useOutcome((s) => s.refusal);
  const secondsLeft = useSecondsLeft(outcome.undoUntil, outcome.state === 'queued');
  const status = ((): { text: string; tone: string } => {
    switch (outcome.state) {
      case 'queued':
        return secondsLeft > 0
          ? { text: `Signed. Sending in ${secondsLeft} s. Undo: Alt+U`, tone: 'pending' }
          : { text: 'Signed. Waiting to send…', tone: 'pending' };
      case 'sending':
        return { text: 'Sending to the GP…', tone: 'pending' };
      case 'sent':
        return { text: `Sent to the GP at ${outcome.sentAt ? formatClock(outcome.sentAt) : ''}.`, tone: 'sent' };
      case 'failed':
        return { text: outcome.problem ?? 'Not sent yet; it will be tried again.', tone: 'failed' };
      case 'held':
        return { text: `Held, not sent: ${outcome.problem ?? ''}`, tone: 'held' };
      case 'handled-elsewhere':
        return { text: `Not sent by the desk: marked handled elsewhere. ${outcome.problem ?? ''}`.trim(), tone: 'sent' };
      case 'undone':
        return { text: 'Undone.', tone: 'pending' };
      case 'set-aside':
        return { text: 'Set aside to amend.', tone: 'pending' };
    }
  })();

  return (
    <div className="signed-outcome">
      <p className={`outcome-status ${status.tone}`} role="status">
        {status.text}
      </p>
      {outcome.state === 'queued' && secondsLeft > 0 && (
        <button type="button" onClick={() => void useOutcome.getState().undo(outcome.outcomeId)}>
          Undo <kbd>Alt+U</kbd>
        </button>
      )}
      {outcome.state === 'held' && (
        <div className="held-actions">
          <button type="button" onClick={() => void useOutcome.getState().setAside(outcome.outcomeId, 'amend')}>
            Amend and sign again <kbd>Alt+A</kbd>
          </button>
          <button type="button" onClick={() => void useOutcome.getState().setAside(outcome.outcomeId, 'handled-elsewhere')}>
            Handled elsewhere <kbd>Alt+H</kbd>
          </button>
        </div>
      )}
      {refusal && <p className="kind-error" role="alert">{refusal}</p>}
      <pre className="letter">{outcomeLetter(outcome.draft, signerName, outcome.targetDate)}</pre>
    </div>
  );
}
