/**
 * A desk that syncs once and exits: run as a child process so a test can kill it mid-sync.
 * Usage: node --import tsx tests/support/sync-child.ts <dataDir> <fhirBaseUrl>
 */
import { DEMO_SERVICE } from '../../electron/hub/generator/shared-server';
import { openDesk } from '../../electron/services/desk';
import { TEST_KEY_WRAP } from './test-key-wrap';
import { TEST_SIGN_IN } from './test-sign-in';
import { UNHURRIED_MS } from './unhurried';

async function main(): Promise<void> {
  const [dataDir, url] = process.argv.slice(2);
  if (!dataDir || !url) throw new Error('usage: sync-child <dataDir> <fhirBaseUrl>');
  const desk = openDesk({
    keyWrap: TEST_KEY_WRAP,
    signIn: TEST_SIGN_IN,
    dataDir,
    source: { kind: 'demo', url, service: DEMO_SERVICE },
    tileBaseUrl: 'x',
    prefetchCases: 0,
    fhir: { timeoutMs: UNHURRIED_MS }, // a page the hub holds stays asked for: the sync cannot finish
    onEvent: (name, payload) => process.stdout.write(`${name} ${JSON.stringify(payload)}\n`),
  });
  const status = await desk.sync();
  await desk.close();
  process.exitCode = status.state === 'idle' ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
