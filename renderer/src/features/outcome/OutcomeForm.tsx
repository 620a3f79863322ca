/** The outcome being decided: kind by number key, the fields that kind needs, errors inline. */
import { useEffect, useRef } from 'react';
import type { CaseDetail } from '../../../../shared/domain/referral';
import { OUTCOME_KIND, OUTCOME_KINDS } from '../../../../shared/outcome/outcome-kinds';
import { fieldsFor, outcomeContext, validateOutcome } from '../../../../shared/outcome/rules';
import { isEmptyDraft, useOutcome } from '../../store/outcome-store';
import { OutcomeFieldInput } from './OutcomeFieldInput';
import { moveWithArrows } from './radio-group';
import { TemplatesSection } from './TemplatesSection';

/** What Enter moves between in the form: its fields, each radio group by its one Tab stop. */
const FIELDS = 'input, select, [role="radio"][tabindex="0"]';

/**
 * Enter in a field never signs (a browser submits a form on Enter in a text field): it moves on
 * to the next field, and in the last stays put. Only Ctrl+Enter signs, or the Sign button itself.
 * A suggestion list that takes the Enter (DiagnosisInput) has already marked it handled.
 */
function moveOnWithEnter(e: React.KeyboardEvent<HTMLFormElement>): void {
  if (e.key !== 'Enter' || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
  const target = e.target as HTMLElement;
  if (!target.matches(FIELDS)) return;
  e.preventDefault();
  // The outcome's own fields, or the template's: Enter never crosses from one to the other.
  const group = target.closest('.templates') ?? e.currentTarget;
  const fields = [...group.querySelectorAll<HTMLElement>(FIELDS)].filter((f) => !f.closest('.kinds') && (group !== e.currentTarget || !f.closest('.templates')));
  fields[fields.indexOf(target) + 1]?.focus();
}

export function OutcomeForm({ detail }: { detail: CaseDetail }): React.JSX.Element {
  const draft = useOutcome((s) => s.draft);
  const showErrors = useOutcome((s) => s.showErrors);
  const attempts = useOutcome((s) => s.attempts);
  const signing = useOutcome((s) => s.signing);
  const refusal = useOutcome((s) => s.refusal);
  const { setKind, sign } = useOutcome.getState();
  const context = outcomeContext(detail);
  const errors = validateOutcome(draft, context);
  const { required, optional } = fieldsFor(draft, context);
  const fieldError = (field: string): string | undefined => (showErrors ? errors.find((e) => e.field === field)?.message : undefined);
  // A refused attempt to sign takes the consultant to the first thing to fix.
  const firstInvalid = errors.find((e) => e.field !== 'kind')?.field;
  useEffect(() => {
    if (attempts === 0 || !firstInvalid) return;
    document.getElementById(firstInvalid === 'diagnosis' ? 'outcome-diagnosis' : `outcome-${firstInvalid}`)?.focus();
    // Only a new attempt moves the focus, not every keystroke after it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempts]);

  // A kind chosen by its key while the focus is on the kinds: the focus follows it, so the ring
  // is never on one kind while another is chosen.
  const kinds = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!kinds.current?.contains(document.activeElement)) return;
    kinds.current.querySelector<HTMLElement>('[role="radio"][aria-checked="true"]')?.focus();
  }, [draft.kind]);

  // Safety messages about the choice itself (consent, withdrawal) show at once, not only on signing.
  const kindErrors = errors.filter((e) => e.field === 'kind' && (draft.kind !== null || showErrors));

  return (
    <form
      className="outcome-form"
      // Never signs by itself (a browser submits a form on Enter, Shift+Enter too): the Sign button does.
      onSubmit={(e) => e.preventDefault()}
      onKeyDown={moveOnWithEnter}
    >
      <div ref={kinds} role="radiogroup" aria-label="Outcome" className="kinds" onKeyDown={(e) => moveWithArrows(e, OUTCOME_KINDS, draft.kind, setKind)}>
        {OUTCOME_KINDS.map((kind, index) => (
          <button
            key={kind}
            type="button"
            role="radio"
            aria-checked={draft.kind === kind}
            // One stop for Tab: the chosen kind (or the first); arrows move within the group.
            tabIndex={draft.kind === kind || (draft.kind === null && index === 0) ? 0 : -1}
            className={draft.kind === kind ? 'chosen' : undefined}
            onClick={() => setKind(kind)}
          >
            <kbd>{OUTCOME_KIND[kind].key}</kbd> {OUTCOME_KIND[kind].label}
            {draft.kind === kind && <span className="chosen-mark" aria-hidden="true">✓</span>}
          </button>
        ))}
      </div>
      {kindErrors.map((e) => (
        <p key={e.message} className="kind-error" role="alert">
          {e.message}
        </p>
      ))}
      {[...required.map((f) => [f, true] as const), ...optional.map((f) => [f, false] as const)].map(([field, isRequired]) => (
        <OutcomeFieldInput key={field} field={field} required={isRequired} error={fieldError(field)} />
      ))}
      {refusal && (
        <p className="kind-error" role="alert">
          Not signed: {refusal}
        </p>
      )}
      <button type="button" className="sign" disabled={signing} onClick={() => void sign(detail.referralId, errors.length === 0)}>
        Sign and send <kbd>Ctrl+Enter</kbd>
      </button>
      {!isEmptyDraft(draft) && (
        <p className="draft-kept">
          Kept for this case until signed. <kbd>Alt+D</kbd> discards it.
        </p>
      )}
      <TemplatesSection />
    </form>
  );
}
