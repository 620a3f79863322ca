/** This session so far: cases completed, median time per case, outcomes by kind (S shows and hides it). */
import { useMemo } from 'react';
import { OUTCOME_KIND, OUTCOME_KINDS } from '../../../shared/outcome/outcome-kinds';
import { formatDuration, summariseSession } from '../../../shared/session/session-summary';
import { useDesk } from '../store/desk-store';
import { useOutcome } from '../store/outcome-store';
import { formatClock } from './format';

export function useSessionSummary(): ReturnType<typeof summariseSession> {
  const session = useDesk((s) => s.session);
  const reviewerId = useDesk((s) => s.info?.reviewer?.practitionerId ?? null);
  const outcomes = useOutcome((s) => s.outcomes);
  return useMemo(() => summariseSession(outcomes, session.openedAt, session.startedAt, reviewerId), [outcomes, session, reviewerId]);
}

export function SessionSummary(): React.JSX.Element | null {
  const open = useDesk((s) => s.summaryOpen);
  const startedAt = useDesk((s) => s.session.startedAt);
  const summary = useSessionSummary();
  if (!open) return null;
  return (
    <section className="session-summary" aria-label="Session summary">
      <h2>This session, since {formatClock(startedAt)}</h2>
      <dl className="figures">
        <div><dt>Cases completed</dt><dd data-figure="completed">{summary.completed}</dd></div>
        <div>
          <dt>Median time per case</dt>
          <dd data-figure="median">{summary.medianSeconds === null ? '–' : formatDuration(summary.medianSeconds)}</dd>
        </div>
      </dl>
      <table>
        <thead><tr><th>Outcome</th><th>Cases</th></tr></thead>
        <tbody>
          {OUTCOME_KINDS.map((kind) => (
            <tr key={kind} data-kind={kind} className={summary.byKind[kind] ? undefined : 'none'}>
              <td>{OUTCOME_KIND[kind].label}</td>
              <td className="count">{summary.byKind[kind]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
