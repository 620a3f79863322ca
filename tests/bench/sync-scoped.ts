/**
 * Scoped sync: a first sync of the service's 1,000 referrals from a shared hub that also holds
 * 20,000 other specialties' referrals (each with its patient, task and questionnaire), against the
 * same desk syncing the same 1,000 from a hub holding only them. Both hubs run in processes of
 * their own, from the same seed, so the service's referrals are the same. Target: at most 1.2
 * times: the rest of the server should cost the desk next to nothing.
 */
import { openDesk } from '../../electron/services/desk';
import { tempDir } from '../support/temp-dir';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { startHubProcess, type HubProcess } from './hub-process';
import { median, report, timeMs } from './measure';

const CASES = 1000;
const OTHER_REFERRALS = 20_000;
/** Medians of seven, alternating the two hubs. */
const ROUNDS = 7;

/** A first sync into a fresh cache, signed in before the clock starts; its time, and how many referrals came. */
async function firstSync(hub: HubProcess): Promise<{ ms: number; referrals: number }> {
  const dir = tempDir('desk-bench-scoped');
  const desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0 });
  try {
    await desk.settled();
    if ((await desk.handlers['auth.signIn'](undefined)).state !== 'signed-in') throw new Error('the desk did not sign in');
    const ms = await timeMs(async () => {
      const status = await desk.sync();
      if (status.state !== 'idle') throw new Error(`sync did not complete: ${JSON.stringify(status)}`);
    });
    return { ms, referrals: (await desk.handlers['queue.list'](undefined)).length };
  } finally {
    await desk.close();
    dir.remove();
  }
}

export async function benchSyncScoped(): Promise<boolean> {
  const shared = await startHubProcess(CASES, 21, { otherReferrals: OTHER_REFERRALS });
  const alone = await startHubProcess(CASES, 21, { otherReferrals: 0, unreferredPatients: 0 });
  try {
    // Warm both hubs (their indexes) and check that the desk takes the same work from each.
    const [fromShared, fromAlone] = [await firstSync(shared), await firstSync(alone)];
    if (fromShared.referrals !== CASES || fromAlone.referrals !== CASES) {
      throw new Error(`expected ${CASES} referrals from each hub, got ${fromShared.referrals} and ${fromAlone.referrals}`);
    }
    const sharedMs: number[] = [];
    const aloneMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      aloneMs.push((await firstSync(alone)).ms);
      sharedMs.push((await firstSync(shared)).ms);
    }
    return report('sync-scoped', median(sharedMs), median(aloneMs), 1.2).met;
  } finally {
    shared.stop();
    alone.stop();
  }
}
