/**
 * Paging through a search: the next page is asked for before this one is handed over, so the
 * server prepares it while the desk maps and writes this one.
 */
import diagnostics from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { createFhirClient } from '../../electron/services/fhir/fhir-client';
import { changesSince } from '../../electron/services/sync/pull-sync';

let hub: DemoHub;

beforeAll(async () => {
  hub = await startDemoHub({ cases: 40, seed: 3, now: new Date('2026-11-25T12:00:00Z') });
});

afterAll(async () => {
  await hub?.close();
});

describe('paging through a search', () => {
  it('has sent the request for the next page by the time a page is handled', async () => {
    // fetch announces each request it sends on this channel (undici's diagnostics).
    let sent = 0;
    const count = (): void => void sent++;
    diagnostics.subscribe('undici:request:create', count);
    try {
      const client = createFhirClient({ baseUrl: hub.baseUrl, auth: { authorization: async () => `Bearer ${hub.issueToken()}`, rejected: async () => false } });
      const sentWhenHandled: number[] = [];
      await client.pageThrough(changesSince(hub.baseUrl, null, 0), (page) => {
        expect(page.resources.length).toBeGreaterThan(0);
        sentWhenHandled.push(sent);
      });
      expect(sentWhenHandled.length).toBeGreaterThanOrEqual(3);
      // Page n (from 0) is handled once its request and the next one's are out; the last has no next.
      const pages = sentWhenHandled.length;
      expect(sentWhenHandled).toEqual(Array.from({ length: pages }, (_, n) => Math.min(n + 2, pages)));
    } finally {
      diagnostics.unsubscribe('undici:request:create', count);
    }
  });
});
