/**
 * Paging through a search: the next page is asked for before this one is handed over, so the
 * server prepares it while the desk maps and writes this one; and, when the server writes its
 * links before its entries, before this one is even parsed.
 */
import diagnostics from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

/** Counts the requests fetch sends (undici announces each on this channel) while `run` runs. */
async function countingRequests(run: (sent: () => number) => Promise<void>): Promise<void> {
  let sent = 0;
  const count = (): void => void sent++;
  diagnostics.subscribe('undici:request:create', count);
  try {
    await run(() => sent);
  } finally {
    diagnostics.unsubscribe('undici:request:create', count);
  }
}

describe('paging through a search', () => {
  const client = () => createFhirClient({ baseUrl: hub.baseUrl, auth: { authorization: async () => `Bearer ${hub.issueToken()}`, rejected: async () => false } });

  it('has sent the request for the next page by the time a page is handled, and each request once', async () => {
    await countingRequests(async (sent) => {
      const sentWhenHandled: number[] = [];
      await client().pageThrough(changesSince(hub.baseUrl, null, 0), (page) => {
        expect(page.resources.length).toBeGreaterThan(0);
        sentWhenHandled.push(sent());
      });
      const pages = sentWhenHandled.length;
      expect(pages).toBeGreaterThanOrEqual(3);
      // Page n (from 0) is handled once its request and the next one's are out; the last has no next.
      sentWhenHandled.forEach((count, n) => expect(count).toBeGreaterThanOrEqual(Math.min(n + 2, pages)));
      expect(sent()).toBe(pages);
    });
  });

  it('asks for the next page before parsing this one, the hub writing its links before its entries', async () => {
    await countingRequests(async (sent) => {
      const sentWhenParsed: number[] = [];
      const parse = JSON.parse;
      const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
        if (text.startsWith('{"resourceType":"Bundle"')) sentWhenParsed.push(sent());
        return parse(text, reviver) as unknown;
      });
      let pages = 0;
      try {
        await client().pageThrough(changesSince(hub.baseUrl, null, 0), () => void pages++);
      } finally {
        spy.mockRestore();
      }
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(sentWhenParsed).toHaveLength(pages);
      sentWhenParsed.forEach((count, n) => expect(count).toBeGreaterThanOrEqual(Math.min(n + 2, pages)));
    });
  });
});

describe('a page whose links, read ahead, are not what the parsed page says', () => {
  let server: Server;
  let base = '';
  const asked: string[] = [];
  const bundle = (ids: string[], before: string, after: string): string =>
    `{"resourceType":"Bundle"${before},"entry":[${ids.map((id) => `{"resource":{"resourceType":"Task","id":"${id}"}}`).join(',')}]${after}}`;
  const link = (path: string): string => `,"link":[{"relation":"next","url":"${base}/${path}"}]`;

  beforeAll(async () => {
    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      const pages: Record<string, string> = {
        // A key given twice: the page's link is the last one, after the entries.
        '/first': bundle(['t1'], link('decoy'), link('second')),
        '/decoy': bundle(['decoy'], '', ''),
        // Links after the entries only: asked for once this page is parsed.
        '/second': bundle(['t2'], '', link('third')),
        '/third': bundle(['t3'], '', ''),
      };
      const body = pages[req.url ?? ''];
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/fhir+json' }).end(body ?? '{}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  it('follows the parsed page and drops what was asked for ahead', async () => {
    const handed: string[] = [];
    await createFhirClient({ baseUrl: base }).pageThrough('first', (page) => {
      handed.push(...page.resources.map((r) => (r as { id: string }).id));
    });
    expect(handed).toEqual(['t1', 't2', 't3']);
    // Each asked for once: the decoy ahead (on a connection of its own, so in either order with
    // the second), the rest as the parsed pages said.
    expect([...asked].sort()).toEqual(['/decoy', '/first', '/second', '/third']);
    expect(asked[0]).toBe('/first');
  });
});
