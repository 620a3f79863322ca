/**
 * A desk that signs outcomes when told and sends them in the background, run as a child process
 * so that a test can kill it just after a state it reports. It acts only on the commands it
 * reads, one a line on stdin, so a kill always finds work still to do:
 *   sign    signs a no-action outcome for the next referral awaiting review: prints
 *           "signing <referralId>" as it starts and "signed <referralId> <outcomeId>" once the
 *           signature is stored;
 *   finish  signs all the rest, waits until every outcome is sent or held, closes, prints "done".
 * It prints "ready" once synced, and "outcome <state> <outcomeId>" whenever an outcome changes
 * state (queued, sending, sent, failed, held). The outbox sends as soon as an outcome is signed.
 * Usage: node --import tsx tests/support/outcome-child.ts <dataDir> <fhirBaseUrl> <practitionerId>
 */
import { DEMO_SERVICE } from '../../electron/hub/generator/shared-server';
import { createInterface } from 'node:readline';
import type { SignedOutcome } from '../../shared/outcome/outcome';
import { openDesk, type Desk } from '../../electron/services/desk';
import { noAction } from './outcome-drafts';
import { TEST_KEY_WRAP } from './test-key-wrap';
import { signInAs } from './test-sign-in';
import { UNHURRIED_MS } from './unhurried';

const UNSENT = new Set<SignedOutcome['state']>(['queued', 'sending', 'failed']);

/** Signs the next referral awaiting review that has no outcome; false when none is left. */
async function signNext(desk: Desk): Promise<boolean> {
  const signed = new Set((await desk.handlers['outcome.list'](undefined)).filter((o) => o.state !== 'undone').map((o) => o.referralId));
  const next = (await desk.handlers['queue.list'](undefined)).find((r) => r.state === 'awaiting-review' && !signed.has(r.referralId));
  if (!next) return false;
  console.log(`signing ${next.referralId}`);
  const outcome = await desk.handlers['outcome.sign']({ referralId: next.referralId, draft: noAction });
  console.log(`signed ${next.referralId} ${outcome.outcomeId}`);
  return true;
}

async function main(): Promise<void> {
  const [dataDir, url, practitionerId] = process.argv.slice(2);
  if (!dataDir || !url || !practitionerId) throw new Error('usage: outcome-child <dataDir> <fhirBaseUrl> <practitionerId>');
  let changed: () => void = () => undefined;
  const desk = openDesk({
    keyWrap: TEST_KEY_WRAP, signIn: signInAs(practitionerId), dataDir, source: { kind: 'demo', url, service: DEMO_SERVICE }, tileBaseUrl: 'x', prefetchCases: 0, undoMs: 0,
    reviewer: { practitionerId }, fhir: { timeoutMs: UNHURRIED_MS },
    onEvent: (name, payload) => {
      if (name !== 'outcome.changed') return;
      const outcome = payload as SignedOutcome;
      console.log(`outcome ${outcome.state} ${outcome.outcomeId}`);
      changed();
    },
  });
  await desk.sync();
  console.log('ready');

  const commands = createInterface({ input: process.stdin });
  let finished = false;
  for await (const command of commands) {
    if (command === 'sign') {
      if (!(await signNext(desk))) console.log('nothing to sign');
    } else if (command === 'finish') {
      while (await signNext(desk));
      // Wait for the outbox to empty, a change at a time; a failed send is tried again once a sync reaches the server.
      for (;;) {
        const next = new Promise<void>((heard) => (changed = heard));
        const open = (await desk.handlers['outcome.list'](undefined)).filter((o) => UNSENT.has(o.state));
        if (open.length === 0) break;
        if (open.every((o) => o.state === 'failed')) await desk.sync();
        await next;
      }
      finished = true;
      break;
    } else {
      throw new Error(`unknown command: ${command}`);
    }
  }
  process.stdin.destroy(); // an open stdin would keep the process alive
  await desk.close();
  if (finished) console.log('done');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 2;
});
