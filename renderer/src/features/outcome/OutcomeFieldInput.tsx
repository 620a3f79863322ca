/** One field of the outcome form, drawn from its kind in the shared table: text, choice or urgency. */
import { CHOICES, FIELD_LABELS, type OutcomeField } from '../../../../shared/outcome/outcome-kinds';
import { URGENCIES, URGENCY } from '../../../../shared/outcome/urgency';
import { useOutcome } from '../../store/outcome-store';
import { DiagnosisInput } from './DiagnosisInput';
import { moveWithArrows } from './radio-group';

const LONG_TEXT = new Set<OutcomeField>(['adviceToGp', 'investigations', 'onwardReason', 'communityReason', 'resend', 'downgradeReason']);

export function OutcomeFieldInput({ field, required, error }: { field: OutcomeField; required: boolean; error?: string }): React.JSX.Element {
  const value = useOutcome((s) => s.draft.fields[field] ?? '');
  const { setField } = useOutcome.getState();
  const id = `outcome-${field}`;
  const choices = (CHOICES as Partial<Record<OutcomeField, Record<string, string>>>)[field];

  let input: React.JSX.Element;
  if (field === 'diagnosis') {
    input = <DiagnosisInput invalid={Boolean(error)} />;
  } else if (field === 'urgency') {
    input = (
      <div
        id={id}
        tabIndex={-1}
        role="radiogroup"
        aria-labelledby={`${id}-label`}
        className="urgency"
        onKeyDown={(e) => moveWithArrows(e, URGENCIES, URGENCIES.find((u) => u === value), (u) => setField(field, u))}
      >
        {URGENCIES.map((u, index) => (
          <button
            key={u}
            type="button"
            role="radio"
            aria-checked={value === u}
            tabIndex={value === u || (!value && index === 0) ? 0 : -1}
            className={value === u ? 'chosen' : undefined}
            onClick={() => setField(field, u)}
          >
            {URGENCY[u].label} <kbd>Alt+{index + 1}</kbd>
          </button>
        ))}
      </div>
    );
  } else if (choices) {
    input = (
      <select id={id} value={value} aria-invalid={Boolean(error)} onChange={(e) => setField(field, e.target.value)}>
        <option value="">Choose…</option>
        {Object.entries(choices).map(([key, label]) => (
          <option key={key} value={key}>
            {label}
          </option>
        ))}
      </select>
    );
  } else if (LONG_TEXT.has(field)) {
    input = <textarea id={id} value={value} rows={3} aria-invalid={Boolean(error)} onChange={(e) => setField(field, e.target.value)} />;
  } else {
    input = <input id={id} value={value} aria-invalid={Boolean(error)} onChange={(e) => setField(field, e.target.value)} />;
  }

  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label id={`${id}-label`} htmlFor={field === 'diagnosis' ? 'outcome-diagnosis' : id}>
        {FIELD_LABELS[field]}
        {required ? '' : ' (optional)'}
      </label>
      {input}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
