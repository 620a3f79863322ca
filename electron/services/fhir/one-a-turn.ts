/**
 * Work that holds the main thread (parsing a page of a search, mapping it), one piece a turn of
 * the event loop. Pages of several searches often arrive together: handled as they come, they
 * would all run in one turn and hold up the renderer's calls and the image tiles for as long as
 * all of them take; one a turn, those are served between any two.
 */

/** A turn of the event loop: what is waiting (timers, answers, messages) is served first. */
export const aTurn = (): Promise<void> => new Promise((resume) => setImmediate(resume));

let last: Promise<unknown> = Promise.resolve();

/** Runs `work` in a turn of its own, after every piece given before it. */
export function oneATurn<T>(work: () => T): Promise<T> {
  const mine = last.then(aTurn).then(work);
  last = mine.catch(() => undefined);
  return mine;
}
