/**
 * Where the next sync starts: the server's time when this sync's first search began (its first
 * page's servedAt). Anything that changes after that is stamped at or after it, whatever the
 * later searches of this sync see. From a server that gives no time, the newest change that
 * search saw, but never later than this computer's now: one resource stamped in the future must
 * not move every later change out of sight.
 */
import type { FhirPage } from '../fhir/bundle-text';

export interface NextStart {
  /** A page of the sync's first search, with the newest change on it. */
  see(page: Pick<FhirPage, 'servedAt' | 'answeredAt'>, newest: string | null): void;
  /** Where the next sync starts; null when the search saw no page to tell. */
  reached(): string | null;
}

export function createNextStart(now: () => Date, onClockSkew: (ms: number) => void = () => undefined): NextStart {
  let reached: string | null = null;
  let byServer = false;
  return {
    see(page, newest) {
      if (reached === null && page.servedAt) {
        reached = page.servedAt;
        byServer = true;
        // How far the server's clock is from this computer's, when it says what time it answered.
        if (page.answeredAt) onClockSkew(Date.parse(page.answeredAt) - now().getTime());
      }
      if (byServer || !newest) return;
      const mine = now().toISOString();
      const seen = newest < mine ? newest : mine;
      if (reached === null || seen > reached) reached = seen;
    },
    reached: () => reached,
  };
}
