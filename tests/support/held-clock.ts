/**
 * A clock that stands still until the test moves it on: given to a desk as its outcome clock, an
 * outcome can be taken back however slowly the test runs, and goes only once the test lets it.
 */
export interface HeldClock {
  now: () => Date;
  /** Moves the clock on; the outbox sends what fell due at its next look. */
  moveOn: (ms: number) => void;
}

export function heldClock(start = new Date()): HeldClock {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    moveOn: (ms) => {
      at += ms;
    },
  };
}
