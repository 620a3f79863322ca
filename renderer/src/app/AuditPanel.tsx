/** The audit trail: who did what, when, and whether the record is still intact. */
import { AUDIT_ACTION_LABELS } from '../../../shared/audit/audit-entry';
import { useDesk } from '../store/desk-store';
import { formatReceived } from './format';

export function AuditPanel(): React.JSX.Element | null {
  const audit = useDesk((s) => s.audit);
  if (!audit) return null;
  const { chain } = audit;
  return (
    <section className="audit-panel" aria-label="Audit trail">
      <h2>Audit trail</h2>
      {chain.intact ? (
        <p className="chain intact">Record intact: all {chain.length} entries follow one from another.</p>
      ) : (
        <p className="chain broken" role="alert">
          The audit record has been tampered with: {chain.reason}. Tell your information governance lead.
        </p>
      )}
      <table>
        <thead>
          <tr><th>#</th><th>When</th><th>Who</th><th>What</th><th>Which</th></tr>
        </thead>
        <tbody>
          {audit.entries.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{formatReceived(e.at)}</td>
              <td>{e.actor}</td>
              <td>{AUDIT_ACTION_LABELS[e.action]}</td>
              <td className="nhs">{e.subject}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
