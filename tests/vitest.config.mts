import { defineConfig } from 'vitest/config';
import { BROWSER_TEST_MS, waitWithin } from './support/unhurried';

/**
 * Tests wait for states, never for time. `expect.poll` (whose own default gives up after one
 * second) therefore waits up to nearly the whole test's time: a poll that gives up says what it
 * waited for, while the test timeout only ends a test that has hung. No retries: a test that
 * fails by chance is fixed at its cause.
 */
const waitingUpTo = (testTimeout: number) => ({
  testTimeout,
  hookTimeout: testTimeout,
  expect: { poll: { timeout: waitWithin(testTimeout), interval: 25 } },
  retry: 0,
});

export default defineConfig({
  test: {
    projects: [
      // Unit tests are quick, but the lint rules' test builds the TypeScript program first.
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], ...waitingUpTo(60_000) } },
      { extends: true, test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], ...waitingUpTo(120_000) } },
      {
        extends: true,
        // One browser at a time: the machines have two cores.
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], fileParallelism: false, ...waitingUpTo(BROWSER_TEST_MS) },
      },
      // Run on its own by tests/run-all.mjs, which swaps better-sqlite3's build for Electron's.
      { extends: true, test: { name: 'electron', include: ['tests/electron/**/*.test.ts'], ...waitingUpTo(BROWSER_TEST_MS) } },
    ],
  },
});
