/**
 * Paging through a search: the next page is asked for before this one is handed over, so the
 * server prepares it while the desk maps and writes this one; and, when the server writes its
 * links before its entries, before this one is even parsed.
 */
import diagnostics from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { createFhirClient } from '../../electron/services/fhir/fhir-client';
import { everythingOn } from '../support/service-work';

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
      await client().pageThrough(everythingOn(hub.baseUrl), (page) => {
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
        await client().pageThrough(everythingOn(hub.baseUrl), () => void pages++);
      } finally {
        spy.mockRestore();
      }
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(sentWhenParsed).toHaveLength(pages);
      sentWhenParsed.forEach((count, n) => expect(count).toBeGreaterThanOrEqual(Math.min(n + 2, pages)));
    });
  });
});

describe('pages read ahead, from a scripted server', () => {
  let server: Server;
  let base = '';
  /** Paths asked for, in order of arrival. */
  let asked: string[] = [];
  /** What each path answers: its text, or a hold (no answer until the connection closes). */
  let script: Record<string, string[] | 'hold'> = {};
  /** Paths whose held request the client gave up. */
  let givenUp: string[] = [];
  const bundle = (ids: string[], before: string, after: string): string =>
    `{"resourceType":"Bundle"${before},"entry":[${ids.map((id) => `{"resource":{"resourceType":"Task","id":"${id}"}}`).join(',')}]${after}}`;
  const link = (path: string): string => `,"link":[{"relation":"next","url":"${base}/${path}"}]`;
  const ids = (handed: unknown[]): string[] => handed.map((r) => (r as { id: string }).id);

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '';
      asked.push(path);
      const answers = script[path];
      if (answers === 'hold') {
        res.on('close', () => givenUp.push(path));
        return;
      }
      // Each answer once, the last one from then on.
      const body = answers && answers.length > 1 ? answers.shift() : answers?.[0];
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/fhir+json' }).end(body ?? '{}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    asked = [];
    givenUp = [];
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  });

  it('follows the parsed page and drops a link read ahead that it does not have', async () => {
    script = {
      // A key given twice: the page's link is the last one, after the entries.
      '/first': [bundle(['t1'], link('decoy'), link('second'))],
      '/decoy': [bundle(['decoy'], '', '')],
      // Links after the entries only: asked for once this page is parsed.
      '/second': [bundle(['t2'], '', link('third'))],
      '/third': [bundle(['t3'], '', '')],
    };
    await countingRequests(async (sent) => {
      const handed: unknown[] = [];
      await createFhirClient({ baseUrl: base }).pageThrough('first', (page) => void handed.push(...page.resources));
      expect(ids(handed)).toEqual(['t1', 't2', 't3']);
      // The decoy was asked for ahead, then stopped (it may not have reached the server); the
      // rest were asked for once each, as the parsed pages said.
      expect(sent()).toBe(4);
      expect(asked.filter((path) => path !== '/decoy')).toEqual(['/first', '/second', '/third']);
    });
  });

  it('asks ahead once for a page that came cut short and was asked for again', async () => {
    const whole = bundle(['t1'], link('second'), '');
    script = {
      // Complete as HTTP, but not JSON: its link can be read ahead, the page cannot be parsed.
      '/first': [whole.slice(0, whole.length - 20), whole],
      '/second': [bundle(['t2'], '', '')],
    };
    const handed: unknown[] = [];
    await createFhirClient({ baseUrl: base, retry: { baseDelayMs: 1, maxDelayMs: 5 } }).pageThrough('first', (page) => void handed.push(...page.resources));
    expect(ids(handed)).toEqual(['t1', 't2']);
    expect(asked).toEqual(['/first', '/second', '/first']);
  });

  it('stops the page asked ahead when a handler fails', async () => {
    script = { '/first': [bundle(['t1'], link('held'), '')], '/held': 'hold' };
    const failing = createFhirClient({ baseUrl: base }).pageThrough('first', async () => {
      // Fails once the page asked ahead has reached the server, so that there is a request to stop.
      await expect.poll(() => asked).toContain('/held');
      throw new Error('the handler failed');
    });
    await expect(failing).rejects.toThrow('the handler failed');
    await expect.poll(() => givenUp).toEqual(['/held']);
  });

  it('holds at most two pages beside the one being handled, however slow the handler', async () => {
    script = {};
    for (let n = 1; n <= 6; n++) script[`/p${n}`] = [bundle([`t${n}`], n < 6 ? link(`p${n + 1}`) : '', '')];
    // Pages parsed, by their one entry: a page asks for the one after it (or not) before it is parsed.
    const parsed: string[] = [];
    const parse = JSON.parse;
    const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
      const entry = /^\{"resourceType":"Bundle".*"id":"(t\d)"/.exec(text)?.[1];
      if (entry) parsed.push(entry);
      return parse(text, reviver) as unknown;
    });
    try {
      await countingRequests(async (sent) => {
        const sentWhenHandled: number[] = [];
        await createFhirClient({ baseUrl: base }).pageThrough('p1', async (page) => {
          // Handling page n, the handler waits until page n + 1 has arrived and been parsed: by
          // then the paging has asked for all it will ask for until this handler returns, so the
          // count below is the most it reaches, however fast or slow the pages came.
          const n = Number(ids(page.resources)[0]?.slice(1));
          if (n < 6) await expect.poll(() => parsed).toContain(`t${n + 1}`);
          sentWhenHandled.push(sent());
        });
        // Page n (from 0) handled: itself and the next asked for, and at most the one after it.
        // The first handler sees exactly that; later ones may find the page after next still
        // unasked, when the next page arrived before the paging waited for it.
        expect(sentWhenHandled).toHaveLength(6);
        expect(sentWhenHandled[0]).toBe(3);
        sentWhenHandled.forEach((count, n) => expect(count).toBeGreaterThanOrEqual(Math.min(n + 2, 6)));
        sentWhenHandled.forEach((count, n) => expect(count).toBeLessThanOrEqual(Math.min(n + 3, 6)));
        expect(sent()).toBe(6);
      });
    } finally {
      spy.mockRestore();
    }
  });
  it.each([
    ['to itself', { '/self': ['SELF'] }, 'self', 1],
    ['round a cycle', { '/a': ['A→B'], '/b': ['B→C'], '/c': ['C→A'] }, 'a', 3],
  ])('stops a search whose next link points back %s, saying why, after reading each page once', async (_how, pages, first, distinct) => {
    script = Object.fromEntries(Object.entries(pages).map(([path, [spec]]) => {
      const target = (spec as string).split('→')[1]?.toLowerCase() ?? path.slice(1);
      return [path, [bundle([path.slice(1)], link(target), '')]];
    }));
    const handed: unknown[] = [];
    const paging = createFhirClient({ baseUrl: base }).pageThrough(first, (page) => void handed.push(...page.resources));
    await expect(paging).rejects.toThrow(/sent a next link back to a page already read/);
    expect(new Set(asked).size).toBe(distinct);
    expect(asked).toHaveLength(distinct);
    expect(handed).toHaveLength(distinct);
  });

  it('stops a search that sends new pages for ever at the page limit, saying so', async () => {
    script = {};
    for (let n = 1; n <= 9; n++) script[`/p${n}`] = [bundle([`t${n}`], link(`p${n + 1}`), '')];
    const paging = createFhirClient({ baseUrl: base, maxPagesPerSearch: 5 }).pageThrough('p1', () => undefined);
    await expect(paging).rejects.toThrow(/sent more than 5 pages for one search/);
    expect(asked.slice(0, 5)).toEqual(['/p1', '/p2', '/p3', '/p4', '/p5']);
    expect(asked).toHaveLength(5);
  });

  it('stops at once when stopped: a held request is given up and no new one is sent', async () => {
    script = { '/held': 'hold' };
    const client = createFhirClient({ baseUrl: base });
    const paging = client.pageThrough('held', () => undefined);
    await expect.poll(() => asked).toContain('/held');
    client.stop();
    await expect(paging).rejects.toThrow(/the desk is closing/);
    await expect.poll(() => givenUp).toEqual(['/held']);
    await expect(client.read('Patient/p1')).rejects.toThrow(/the desk is closing/);
    expect(asked).toEqual(['/held']);
  });
});
