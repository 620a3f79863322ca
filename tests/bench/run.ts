/**
 * `npm run bench`: every benchmark, each against a baseline measured in the same run. Prints one
 * BENCH line per measure; exits non-zero only if a benchmark could not run, never for a missed
 * target (targets are for people to read, not for CI to enforce).
 */
import { benchCacheOpen } from './cache-open';
import { benchCaseSwitch } from './case-switch';
import { benchPyramid } from './pyramid';
import { benchQueueStep } from './queue-step';
import { benchSyncIngest } from './sync-ingest';
import { benchSyncScoped } from './sync-scoped';

async function main(): Promise<void> {
  const results: [string, boolean][] = [];
  const benches = [
    ['sync-ingest', benchSyncIngest],
    ['sync-scoped', benchSyncScoped],
    ['cache-open', benchCacheOpen],
    ['pyramid', benchPyramid],
    ['case-switch', benchCaseSwitch],
    ['queue-step', benchQueueStep],
  ] as const;
  for (const [name, bench] of benches) {
    results.push([name, await bench()]);
  }
  const missed = results.filter(([, met]) => !met).map(([name]) => name);
  console.log(missed.length ? `targets missed: ${missed.join(', ')}` : 'all targets met');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
