import { z } from 'zod';

export const SYNC_STATES = ['idle', 'syncing', 'offline', 'failed'] as const;

export const syncStatusSchema = z.object({
  state: z.enum(SYNC_STATES),
  /** When the cache last matched the server; null before the first successful sync. */
  lastSuccessAt: z.iso.datetime({ offset: true }).nullable(),
  casesInCache: z.number().int().nonnegative(),
  /** Resources received in the sync under way (or the last one). */
  resourcesReceived: z.number().int().nonnegative(),
  /** Images of the referrals awaiting review, and how many of them are ready to view. */
  images: z.object({ ready: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  /** Resources held in quarantine because they could not be read; listed by sync.problems. */
  problemCount: z.number().int().nonnegative(),
  /** What went wrong, in words for the consultant; null when nothing did. */
  problem: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;

/** A resource the desk could not read, kept out of the cache with the reason. */
export const syncProblemSchema = z.object({
  resourceType: z.string(),
  resourceId: z.string(),
  reason: z.string(),
  seenAt: z.iso.datetime({ offset: true }),
});
export type SyncProblem = z.infer<typeof syncProblemSchema>;
