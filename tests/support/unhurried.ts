/**
 * How long tests wait: for a state, as long as it takes up to a guard against a hang, never a
 * measure of speed. tests/vitest.config.mts sets each project's test timeout from here, and
 * `expect.poll` to wait all but the last ten seconds of it; Playwright waits as long.
 */

/** How long a test's desk waits for the server: on a slow machine a healthy answer is never timed out and retried. */
export const UNHURRIED_MS = 600_000;

/** The longest a browser test (Chromium, or Electron where it runs) may take before it counts as hung. */
export const BROWSER_TEST_MS = 180_000;

/** What a test's waits may use of its time: the rest is left for the failure to be reported. */
export const waitWithin = (testTimeoutMs: number): number => testTimeoutMs - 10_000;

/** How long Playwright waits for an element, a navigation or an event in a browser test. */
export const BROWSER_WAIT_MS = waitWithin(BROWSER_TEST_MS);
