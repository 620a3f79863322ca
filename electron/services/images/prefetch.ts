/**
 * Builds pyramids ahead of the consultant: the rest of the open case's images, then the next
 * few cases in queue order. A new request replaces the one under way, so the work always
 * follows where the consultant is. Failures are not reported here: a refused image shows its
 * reason when it is opened.
 */
import type { CaseStore } from '../db/case-store';
import type { ImagePyramids } from './image-pyramids';

export interface Prefetcher {
  /** Starts from this referral (or the head of the queue); resolves when done or replaced. */
  prefetchFrom: (referralId: string | null) => Promise<void>;
  stop: () => void;
}

export function createPrefetcher(cases: CaseStore, pyramids: ImagePyramids, lookahead: number, onBuilt: () => void): Prefetcher {
  let generation = 0;

  const plan = (referralId: string | null): string[] => {
    const queue = cases.listQueue().filter((r) => r.state !== 'withdrawn');
    const at = referralId === null ? -1 : queue.findIndex((r) => r.referralId === referralId);
    const ahead = queue.slice(at + 1, at + 1 + lookahead).map((r) => r.referralId);
    const order = referralId === null ? ahead : [referralId, ...ahead];
    return order.flatMap((id) => cases.getCase(id)?.images.filter((image) => !image.problem).map((image) => image.imageId) ?? []);
  };

  return {
    async prefetchFrom(referralId) {
      const mine = ++generation;
      for (const imageId of plan(referralId)) {
        if (mine !== generation) return;
        await pyramids.ensure(imageId).then(onBuilt, () => undefined);
      }
    },
    stop() {
      generation += 1;
    },
  };
}
