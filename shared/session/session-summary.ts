/**
 * What a triage session has done: cases completed, the median time from opening a case to
 * signing its outcome, and outcomes by kind. Pure: the renderer passes the signed outcomes and
 * when it first opened each case this session.
 */
import { OUTCOME_KINDS, type OutcomeKind } from '../outcome/outcome-kinds';
import { countsForReferral, type SignedOutcome } from '../outcome/outcome';

export interface SessionSummary {
  completed: number;
  /** Median seconds from first opening a case to signing it; null before any case is timed. */
  medianSeconds: number | null;
  byKind: Record<OutcomeKind, number>;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Outcomes signed by `reviewerId` since `since` count, except those taken back (undone). A
 * case signed twice (undone, then signed again) counts once, by its latest outcome.
 */
export function summariseSession(
  outcomes: readonly Pick<SignedOutcome, 'referralId' | 'kind' | 'signedAt' | 'signedBy' | 'state'>[],
  openedAt: ReadonlyMap<string, string>,
  since: string,
  reviewerId: string | null,
): SessionSummary {
  const latest = new Map<string, (typeof outcomes)[number]>();
  for (const outcome of outcomes) {
    if (!countsForReferral(outcome.state) || Date.parse(outcome.signedAt) < Date.parse(since)) continue;
    if (reviewerId !== null && outcome.signedBy !== reviewerId) continue;
    const before = latest.get(outcome.referralId);
    if (!before || outcome.signedAt > before.signedAt) latest.set(outcome.referralId, outcome);
  }
  const byKind = Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, 0])) as Record<OutcomeKind, number>;
  const seconds: number[] = [];
  for (const outcome of latest.values()) {
    byKind[outcome.kind] += 1;
    const opened = openedAt.get(outcome.referralId);
    if (opened) seconds.push(Math.max(0, (Date.parse(outcome.signedAt) - Date.parse(opened)) / 1000));
  }
  return { completed: latest.size, medianSeconds: median(seconds), byKind };
}

/** "under 1 s", "45 s", "3 min 05 s". */
export function formatDuration(seconds: number): string {
  if (seconds < 0.5) return 'under 1 s';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
}
