/** Overdue or due today, as a badge beside a review due date; nothing when it is due later or nothing more is owed. */
import { dueState } from '../../../shared/clock/working-days';

const DUE_LABELS = { overdue: 'Overdue', 'due-today': 'Due today', 'due-later': '' } as const;

/** `owed` false: withdrawn, or done here, so its date no longer matters. */
export function DueBadge({ dueDate, today, owed }: { dueDate: string; today: string; owed: boolean }): React.JSX.Element | null {
  const due = dueState(dueDate, today);
  if (!owed || due === 'due-later') return null;
  return <span className={`badge ${due}`}>{DUE_LABELS[due]}</span>;
}
