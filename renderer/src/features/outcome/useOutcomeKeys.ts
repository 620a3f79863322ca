/** The outcome keys that work both over the images and inside the form: sign, undo, templates. */
import type { CaseDetail } from '../../../../shared/domain/referral';
import { useMemo } from 'react';
import { userTemplateBindings, type KeyAction, type KeyBinding } from '../../../../shared/keymap';
import { countsForReferral, type SignedOutcome } from '../../../../shared/outcome/outcome';
import { OUTCOME_KINDS } from '../../../../shared/outcome/outcome-kinds';
import { outcomeContext, validateOutcome } from '../../../../shared/outcome/rules';
import { BUILT_IN_TEMPLATES } from '../../../../shared/outcome/templates';
import { URGENCIES } from '../../../../shared/outcome/urgency';
import { useDesk } from '../../store/desk-store';
import { useOutcome } from '../../store/outcome-store';
import type { KeyHandlers } from '../keyboard/useKeymap';

/** A referral open for this consultant to decide: not withdrawn, not held by a colleague, not yet signed. */
export function useCanDecide(detail: CaseDetail): boolean {
  const claim = useDesk((s) => s.claim);
  const signed = useOutcome((s) => s.outcomes.some((o) => o.referralId === detail.referralId && countsForReferral(o.state)));
  return detail.state !== 'withdrawn' && claim?.state !== 'held-by-other' && !signed;
}

export function useOutcomeKeys(detail: CaseDetail): KeyHandlers {
  const canDecide = useCanDecide(detail);
  const { applyTemplate, sign, undo, setAside, setKind, setField, discardDraft } = useOutcome.getState();
  const latestIn = (state: SignedOutcome['state']): SignedOutcome | undefined =>
    useOutcome.getState().outcomes.find((o) => o.referralId === detail.referralId && o.state === state);
  const handlers: KeyHandlers = {
    'outcome.undo': () => {
      const latest = latestIn('queued');
      if (latest) void undo(latest.outcomeId);
    },
    'outcome.amend': () => {
      const held = latestIn('held');
      if (held) void setAside(held.outcomeId, 'amend');
    },
    'outcome.handledElsewhere': () => {
      const held = latestIn('held');
      if (held) void setAside(held.outcomeId, 'handled-elsewhere');
    },
  };
  if (!canDecide) return handlers;
  handlers['outcome.discardDraft'] = () => discardDraft();
  handlers['outcome.sign'] = () => {
    const errors = validateOutcome(useOutcome.getState().draft, outcomeContext(detail));
    void sign(detail.referralId, errors.length === 0);
  };
  for (const template of [...BUILT_IN_TEMPLATES, ...useOutcome.getState().userTemplates]) {
    handlers[`outcome.template.${template.id}` as KeyAction] = () => applyTemplate(template.id);
  }
  for (const kind of OUTCOME_KINDS) handlers[`outcome.kind.${kind}`] = () => setKind(kind);
  for (const urgency of URGENCIES) handlers[`outcome.urgency.${urgency}`] = () => setField('urgency', urgency);
  return handlers;
}

/** Key bindings for the consultant's own templates, which exist only at run time. */
export function useUserTemplateBindings(): KeyBinding[] {
  const own = useOutcome((s) => s.userTemplates);
  return useMemo(() => userTemplateBindings(own), [own]);
}
