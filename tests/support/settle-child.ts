/**
 * Opens a desk, waits for it to settle, says so and closes it: run as a child process, so a
 * test can see that nothing lets the process end before then (its only work is the starting thread).
 * Usage: node --import tsx tests/support/settle-child.ts <dataDir>
 */
import { DEMO_SERVICE } from '../../electron/hub/generator/shared-server';
import { openDesk } from '../../electron/services/desk';
import { TEST_KEY_WRAP } from './test-key-wrap';
import { TEST_SIGN_IN } from './test-sign-in';

async function main(): Promise<void> {
  const [dataDir] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: settle-child <dataDir>');
  // Nothing listens on port 9 (discard): the desk never syncs here.
  const desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir, source: { kind: 'demo', url: 'http://127.0.0.1:9/fhir', service: DEMO_SERVICE }, tileBaseUrl: 'x', prefetchCases: 0 });
  await desk.settled();
  process.stdout.write('settled\n');
  await desk.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
