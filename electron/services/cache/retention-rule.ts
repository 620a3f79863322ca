/**
 * Which referrals' work is over and leaves the cache: the server keeps the record, the desk keeps
 * only what it is working on. Pure.
 */

/** Where a held referral stands, as the cache knows it. */
export interface ReferralStanding {
  id: string;
  patientId: string;
  /**
   * When the desk first saw it finished (its review completed, or the referral, or withdrawn),
   * by its own clock; null while it is open.
   */
  finishedSince: string | null;
  /** An outcome signed here has not reached the GP (queued, sending, failed or held): never removed. */
  undelivered: boolean;
  /** The server now addresses it to another service: not this desk's work, removed at once. */
  sentElsewhere: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The referrals to remove: those sent to another service, at once; and those finished at least
 * `retentionDays` before `now`, with every other referral of the same patient so too (an earlier
 * referral stays, for comparison, while a later one is open). Never one with an outcome undelivered.
 */
export function referralsToRemove(referrals: readonly ReferralStanding[], now: Date, retentionDays: number): string[] {
  const cutoff = now.getTime() - retentionDays * DAY_MS;
  const over = (r: ReferralStanding): boolean => r.finishedSince !== null && !r.undelivered && Date.parse(r.finishedSince) <= cutoff;
  const elsewhere = referrals.filter((r) => r.sentElsewhere && !r.undelivered);
  const ours = referrals.filter((r) => !r.sentElsewhere);
  const byPatient = new Map<string, ReferralStanding[]>();
  for (const r of ours) byPatient.set(r.patientId, [...(byPatient.get(r.patientId) ?? []), r]);
  const finished = [...byPatient.values()].filter((theirs) => theirs.every(over)).flatMap((theirs) => theirs.map((r) => r.id));
  return [...elsewhere.map((r) => r.id), ...finished];
}
