/**
 * Sync ingest: a full first sync of 1,000 demo cases (metadata only: no images) from the shared
 * demo hub (other specialties' work beside them) into a fresh encrypted cache, against merely
 * fetching and parsing the same work with the fewest plain searches from the same hub, which runs
 * in a process of its own. Target: sync at most 1.5 times the fetch. The desk is opened
 * (its cache writer thread started) and signed in before the clock starts, and closed after it
 * stops.
 *
 * Also how long the main thread is held up meanwhile (p99 of the event-loop delay): during a
 * sync it serves the renderer's calls and the image tiles, so a sync should hold it up little
 * more than merely fetching does.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Bundle, Patient, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { openDesk, type Desk } from '../../electron/services/desk';
import { signInWithBrowser } from '../../electron/services/auth/browser-sign-in';
import { tempDir } from '../support/temp-dir';
import { startHubProcess } from './hub-process';
import { median, report } from './measure';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';
import { IDS_PER_SEARCH, PAGE_SIZE } from '../../electron/services/sync/scope';

/** Medians of nine: on a two-core machine single runs of either vary by a quarter or more. */
const ROUNDS = 9;

/** Wall time of `run`, and the p99 event-loop delay while it ran (ms). */
async function observe(run: () => Promise<void>): Promise<{ ms: number; loopDelayP99: number }> {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  delay.disable();
  return { ms, loopDelayP99: delay.percentile(99) / 1e6 };
}

export async function benchSyncIngest(): Promise<boolean> {
  const hub = await startHubProcess(1000, 21);
  try {
    // The baseline sends the same bearer token a signed-in desk does.
    const { accessToken } = await signInWithBrowser(hub.baseUrl, TEST_SIGN_IN);
    // Merely fetching the service's work, as plainly as fetch allows and with as few searches as
    // the server allows: every referral to the service, each kind of part by one chained search,
    // then the people they refer to, as many ids a search as the desk asks for; pages as large as
    // the desk's; each page read whole and parsed, its
    // next link followed. (The desk's client does more: limits, retries, cutting out each
    // resource; and its sync asks for a new referral's parts by id, to write each case whole.)
    const headers = { accept: 'application/fhir+json', authorization: `Bearer ${accessToken}` };
    const service = encodeURIComponent(hub.service);
    const everyPage = async (first: string): Promise<Resource[]> => {
      const found: Resource[] = [];
      for (let url: string | undefined = `${hub.baseUrl}/${first}`; url; ) {
        const response = await fetch(url, { headers });
        if (!response.ok) throw new Error(`the hub answered ${response.status}`);
        const bundle = JSON.parse(await response.text()) as Bundle;
        found.push(...(bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : [])));
        url = bundle.link?.find((link) => link.relation === 'next')?.url;
      }
      return found;
    };
    const byId = async (type: string, ids: Set<string>): Promise<Resource[]> => {
      const found: Resource[] = [];
      for (let at = 0; at < ids.size; at += IDS_PER_SEARCH) found.push(...(await everyPage(`${type}?_id=${[...ids].slice(at, at + IDS_PER_SEARCH).join(',')}&_count=${PAGE_SIZE}`)));
      return found;
    };
    const idOf = (reference: string | undefined): string => reference?.split('/')[1] ?? '';
    const fetchOnly = async (): Promise<void> => {
      const referrals = (await everyPage(`ServiceRequest?performer=${service}&_count=${PAGE_SIZE}`)) as ServiceRequest[];
      const parts: Resource[] = [];
      for (const [type, param] of [['Task', 'focus'], ['QuestionnaireResponse', 'based-on'], ['Consent', 'data'], ['Media', 'based-on'], ['DocumentReference', 'related']]) {
        parts.push(...(await everyPage(`${type}?${param}:ServiceRequest.performer=${service}&_count=${PAGE_SIZE}`)));
      }
      const patients = (await byId('Patient', new Set(referrals.map((r) => idOf(r.subject.reference))))) as Patient[];
      await byId('Practitioner', new Set(referrals.map((r) => idOf(r.requester?.reference)).filter(Boolean)));
      await byId('Organization', new Set(patients.map((p) => idOf(p.generalPractitioner?.[0]?.reference)).filter(Boolean)));
      if (referrals.length < 1000 || parts.length === 0) throw new Error("the hub sent less than the service's work");
    };
    const syncInto = (desk: Desk) => async (): Promise<void> => {
      const status = await desk.sync();
      if (status.state !== 'idle' || status.casesInCache < 900) throw new Error(`sync did not complete: ${JSON.stringify(status)}`);
    };
    await fetchOnly(); // warm the hub (its indexes) and the connection pool
    const fetches: { ms: number; loopDelayP99: number }[] = [];
    const syncs: { ms: number; loopDelayP99: number }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      fetches.push(await observe(fetchOnly));
      const dir = tempDir('desk-bench-sync');
      const desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0 });
      try {
        await desk.settled(); // its cache writer thread has started
        // Signed in, as the baseline is: the sign-in's round trips are not the sync's.
        const auth = await desk.handlers['auth.signIn'](undefined);
        if (auth.state !== 'signed-in') throw new Error(`the desk did not sign in: ${auth.state}`);
        syncs.push(await observe(syncInto(desk)));
      } finally {
        await desk.close();
        dir.remove();
      }
    }
    const time = report('sync-ingest', median(syncs.map((s) => s.ms)), median(fetches.map((f) => f.ms)), 1.5);
    const held = report('sync-main-thread-delay-p99', median(syncs.map((s) => s.loopDelayP99)), median(fetches.map((f) => f.loopDelayP99)), 2);
    return time.met && held.met;
  } finally {
    hub.stop();
  }
}
