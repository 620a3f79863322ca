/** Working diagnosis: free text, with SNOMED CT suggestions as you type (arrows and Enter to pick). */
import { useId, useState } from 'react';
import { diagnosisByCode, searchDiagnoses } from '../../../../shared/outcome/diagnoses';
import { useOutcome } from '../../store/outcome-store';

export function DiagnosisInput({ invalid }: { invalid: boolean }): React.JSX.Element {
  const text = useOutcome((s) => s.draft.fields.diagnosis ?? '');
  const code = useOutcome((s) => s.draft.diagnosisCode);
  const { setDiagnosis } = useOutcome.getState();
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  const listId = useId();
  // Nothing to suggest once the text is exactly a coded diagnosis.
  const suggestions = open && !(code && diagnosisByCode(code)?.display === text) ? searchDiagnoses(text) : [];

  const pick = (index: number): void => {
    const chosen = suggestions[index];
    if (chosen) setDiagnosis(chosen.display, chosen.code);
    setOpen(false);
  };

  return (
    <div className="diagnosis">
      <input
        id="outcome-diagnosis"
        value={text}
        aria-invalid={invalid}
        aria-autocomplete="list"
        aria-controls={listId}
        aria-activedescendant={suggestions.length ? `${listId}-${active}` : undefined}
        placeholder="Type a diagnosis"
        onChange={(e) => {
          // Changing the words drops a code that no longer matches them.
          const next = e.target.value;
          setDiagnosis(next, code && diagnosisByCode(code)?.display === next ? code : null);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={(e) => {
          if (suggestions.length === 0) return;
          if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, suggestions.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) pick(active);
          else return;
          e.preventDefault();
        }}
        onBlur={() => setOpen(false)}
      />
      {code && <small className="code">SNOMED CT {code}</small>}
      {suggestions.length > 0 && (
        <ul id={listId} role="listbox" className="suggestions">
          {suggestions.map((d, index) => (
            <li
              key={d.code}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(index);
              }}
            >
              {d.display} <small>{d.code}</small>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
