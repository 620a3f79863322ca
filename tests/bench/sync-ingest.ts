/**
 * Sync ingest: a full first sync of 1,000 demo cases (metadata only: no images) into a fresh
 * SQLite file, against merely fetching and parsing the same pages from the same hub, which runs
 * in a process of its own. Target: sync at most 1.5 times the fetch.
 */
import { openDesk } from '../../electron/services/desk';
import { signInWithBrowser } from '../../electron/services/auth/browser-sign-in';
import { createFhirClient } from '../../electron/services/fhir/fhir-client';
import { changesSince } from '../../electron/services/sync/pull-sync';
import { tempDir } from '../support/temp-dir';
import { startHubProcess } from './hub-process';
import { compare, report } from './measure';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { TEST_SIGN_IN } from '../support/test-sign-in';

export async function benchSyncIngest(): Promise<boolean> {
  const hub = await startHubProcess(1000, 21);
  try {
    // The baseline sends the same bearer token a signed-in desk does.
    const { accessToken } = await signInWithBrowser(hub.baseUrl, TEST_SIGN_IN);
    const auth = { authorization: async (): Promise<string> => `Bearer ${accessToken}`, rejected: async (): Promise<boolean> => false };
    const fetchOnly = async (): Promise<void> => {
      const client = createFhirClient({ baseUrl: hub.baseUrl, auth });
      let resources = 0;
      await client.pageThrough(changesSince(hub.baseUrl, null, 0), (page) => {
        resources += page.resources.length;
      });
      if (resources === 0) throw new Error('the hub sent nothing');
    };
    const sync = async (): Promise<void> => {
      const dir = tempDir('desk-bench-sync');
      const desk = openDesk({ keyWrap: TEST_KEY_WRAP, signIn: TEST_SIGN_IN, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl }, tileBaseUrl: 'x', prefetchCases: 0 });
      try {
        const status = await desk.sync();
        if (status.state !== 'idle' || status.casesInCache < 900) throw new Error(`sync did not complete: ${JSON.stringify(status)}`);
      } finally {
        await desk.close();
        dir.remove();
      }
    };
    await fetchOnly(); // warm the hub and the connection pool
    const { value, baseline } = await compare(5, sync, fetchOnly);
    return report('sync-ingest', value, baseline, 1.5).met;
  } finally {
    hub.stop();
  }
}
