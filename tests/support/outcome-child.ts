/**
 * A desk that signs an outcome for every referral awaiting review and sends them all, then
 * exits: run as a child process so a test can kill it at any moment. Prints "ready" once
 * synced, "signed <referralId> <outcomeId>" after each signature is stored, "done" at the end.
 * Usage: node --import tsx tests/support/outcome-child.ts <dataDir> <fhirBaseUrl> <practitionerId>
 */
import { openDesk } from '../../electron/services/desk';
import { noAction } from './outcome-drafts';
import { TEST_KEY_WRAP } from './test-key-wrap';
import { signInAs } from './test-sign-in';

async function main(): Promise<void> {
  const [dataDir, url, practitionerId] = process.argv.slice(2);
  if (!dataDir || !url || !practitionerId) throw new Error('usage: outcome-child <dataDir> <fhirBaseUrl> <practitionerId>');
  const desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: signInAs(practitionerId), dataDir, source: { kind: 'demo', url }, tileBaseUrl: 'x', prefetchCases: 0, undoMs: 0, reviewer: { practitionerId } });
  await desk.sync();
  console.log('ready');
  const signed = new Set((await desk.handlers['outcome.list'](undefined)).filter((o) => o.state !== 'undone').map((o) => o.referralId));
  for (const referral of await desk.handlers['queue.list'](undefined)) {
    if (referral.state !== 'awaiting-review' || signed.has(referral.referralId)) continue;
    const outcome = await desk.handlers['outcome.sign']({ referralId: referral.referralId, draft: noAction });
    console.log(`signed ${referral.referralId} ${outcome.outcomeId}`);
    // A consultant moves on to the next case while the last outcome is sent.
    await new Promise((r) => setTimeout(r, 30));
  }
  // Wait for the outbox to empty: everything sent (or held, with a reason).
  for (;;) {
    const open = (await desk.handlers['outcome.list'](undefined)).filter((o) => o.state === 'queued' || o.state === 'sending' || o.state === 'failed');
    if (open.length === 0) break;
    await desk.sync(); // a failed one is tried again as soon as the server answers
    await new Promise((r) => setTimeout(r, 50));
  }
  await desk.close();
  console.log('done');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
