import { z } from 'zod';

export const SYNC_STATES = ['idle', 'syncing', 'offline', 'failed'] as const;

export const syncStatusSchema = z.object({
  state: z.enum(SYNC_STATES),
  /** When the cache last matched the server; null before the first successful sync. */
  lastSuccessAt: z.iso.datetime({ offset: true }).nullable(),
  casesInCache: z.number().int().nonnegative(),
  /** What went wrong, in words for the consultant; null when nothing did. */
  problem: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof syncStatusSchema>;
