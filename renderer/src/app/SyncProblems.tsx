/** The resources the server sent that the desk could not read, each with the reason. */
import { useDesk } from '../store/desk-store';
import { formatReceived } from './format';

export function SyncProblems(): React.JSX.Element | null {
  const problems = useDesk((s) => s.problems);
  if (!problems) return null;
  return (
    <section className="sync-problems" aria-label="Sync problems">
      <h2>Sync problems</h2>
      {problems.length === 0 ? (
        <p>Every record from the server was read.</p>
      ) : (
        <>
          <p>These records were held back; the rest of the sync went on. Ask the referring system's support to correct them.</p>
          <table>
            <thead>
              <tr><th>Record</th><th>Why it was held back</th><th>Seen</th></tr>
            </thead>
            <tbody>
              {problems.map((p) => (
                <tr key={`${p.resourceType}/${p.resourceId}`}>
                  <td className="nhs">{p.resourceType}/{p.resourceId}</td>
                  <td>{p.reason}</td>
                  <td>{formatReceived(p.seenAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
