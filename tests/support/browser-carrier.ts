/**
 * The browser carrier of the IPC contract: the production renderer bundle runs in Chromium,
 * and the real desk services run in this process behind the same contract. Requests arrive
 * through page.exposeBinding and go through the same dispatch as Electron's ipcMain; the
 * renderer and its tiles are served with page.route from a reserved host, `desk.invalid`.
 */
import { isDone } from '../../shared/outcome/outcome';
import { existsSync, mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve, sep } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { parseTilePath } from '../../shared/domain/tile-address';
import { eventNames, requestNames, type EventName, type EventPayload } from '../../shared/ipc/contract';
import { dispatch } from '../../shared/ipc/dispatch';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import type { FaultSource } from '../../electron/hub/faults';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { openDesk, type Desk } from '../../electron/services/desk';
import { launchChromium } from './chromium';
import { TEST_KEY_WRAP } from './test-key-wrap';
import { TEST_SIGN_IN } from './test-sign-in';
import { BROWSER_WAIT_MS, UNHURRIED_MS } from './unhurried';
import type { SignInSettings } from '../../electron/services/auth/browser-sign-in';

export const DESK_ORIGIN = 'http://desk.invalid';
const TILE_PREFIX = '/tiles/';
const RENDERER_DIR = resolve(__dirname, '../../out/renderer');
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.png': 'image/png', '.svg': 'image/svg+xml',
};

export interface BrowserDesk {
  page: Page;
  browser: Browser;
  hub: DemoHub;
  desk: Desk;
  dataDir: string;
  /** Where the desk writes teaching exports. */
  teachingExportDir: string;
  /** Errors the page threw or logged, so a test can show them. */
  pageErrors: string[];
  close(): Promise<void>;
}

export interface BrowserDeskOptions {
  cases?: number;
  now?: Date;
  viewport?: { width: number; height: number };
  /** The outcome undo window; the desk's own is ten seconds. */
  undoMs?: number;
  /** The desk's clock for the undo window and the outbox (a test's held clock); the system clock unless given. */
  outcomeClock?: () => Date;
  /**
   * The page's clock stands still at this time (timers still run), so that what the page counts
   * from today (ages, overdue badges) cannot change under a test at midnight. It also stops the
   * viewer's animations, so a test that zooms or pans leaves it unset.
   */
  pageTime?: Date;
  /** Idle time before the screen locks; the desk's own is five minutes. */
  lockAfterMs?: number;
  /** Runs on the empty data folder before the desk opens it (to leave a cache behind, say). */
  prepareDataDir?: (dataDir: string, hub: DemoHub) => void | Promise<void>;
  /** How the desk signs in to the hub; the test browser that follows the hub's redirect unless set. */
  signIn?: SignInSettings;
  /** How far the hub's clock is ahead of the machine's (a server with a wrong clock). */
  hubClockOffsetMs?: number;
  /** Faults the hub injects (a test adds rules as it goes). */
  hubFaults?: FaultSource;
}

/** Runs in the page before the bundle: builds `window.desk` from the contract's names. */
function installBridge({ requests, events }: { requests: string[]; events: string[] }): void {
  type Listener = (payload: unknown) => void;
  const w = window as unknown as Record<string, unknown>;
  const invoke = w.__deskInvoke as (name: string, payload: unknown) => Promise<unknown>;
  const listeners = new Map<string, Set<Listener>>();
  const bridge: Record<string, unknown> = {
    onEvent(name: string, listener: Listener) {
      if (!events.includes(name)) throw new Error(`unknown event ${name}`);
      const set = listeners.get(name) ?? new Set<Listener>();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  for (const name of requests) bridge[name] = (payload: unknown) => invoke(name, payload);
  w.__deskEmit = (name: string, payload: unknown) => listeners.get(name)?.forEach((listener) => listener(payload));
  Object.defineProperty(window, 'desk', { value: Object.freeze(bridge) });
}

export async function launchBrowserDesk(options: BrowserDeskOptions = {}): Promise<BrowserDesk> {
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error(`No renderer bundle in ${RENDERER_DIR}: run \`npm run build\` first (npm test does).`);
  }
  const hub = await startDemoHub({ cases: options.cases ?? 40, ...(options.now ? { now: options.now } : {}), clockOffsetMs: options.hubClockOffsetMs ?? 0, ...(options.hubFaults ? { faults: options.hubFaults } : {}) });
  const dataDir = mkdtempSync(join(tmpdir(), 'desk-e2e-'));
  await options.prepareDataDir?.(dataDir, hub);
  // Laid out as under Electron (Documents/…), inside dataDir so that closing removes it.
  const teachingExportDir = join(dataDir, 'Documents', 'Derm Review Desk teaching export');
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1440, height: 900 } });
  // Playwright's own 30 s would be a measure of the machine: wait for a state as long as a poll does.
  context.setDefaultTimeout(BROWSER_WAIT_MS);
  const page = await context.newPage();
  if (options.pageTime) await page.clock.setFixedTime(options.pageTime);
  const emit = <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    // The page may still be loading; it asks for the status itself when it starts.
    page.evaluate(([n, p]) => (window as unknown as { __deskEmit?: (n: string, p: unknown) => void }).__deskEmit?.(n, p), [name, payload] as const).catch(() => undefined);
  };
  const desk = openDesk({
    keyWrap: TEST_KEY_WRAP,
    signIn: options.signIn ?? TEST_SIGN_IN,
    dataDir,
    source: { kind: 'demo', url: hub.baseUrl, service: hub.service },
    tileBaseUrl: `${DESK_ORIGIN}${TILE_PREFIX}`,
    reviewer: { practitionerId: DEMO_CONSULTANTS[0].id },
    teachingExportDir,
    fhir: { timeoutMs: UNHURRIED_MS },
    ...(options.outcomeClock ? { outcomeClock: options.outcomeClock } : {}),
    ...(options.undoMs === undefined ? {} : { undoMs: options.undoMs }),
    ...(options.lockAfterMs === undefined ? {} : { lockAfterMs: options.lockAfterMs }),
    onEvent: emit,
  });
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));

  await page.exposeBinding('__deskInvoke', (_source, name: unknown, payload: unknown) => dispatch(desk.handlers, name, payload));
  await page.addInitScript(installBridge, { requests: requestNames, events: eventNames });
  await page.route(`${DESK_ORIGIN}/**`, (route) => serve(route, desk));

  return {
    page,
    browser,
    hub,
    desk,
    dataDir,
    teachingExportDir,
    pageErrors,
    async close() {
      await browser.close();
      await desk.close();
      await hub.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function serve(route: Route, desk: Desk): Promise<void> {
  const { pathname } = new URL(route.request().url());
  if (pathname.startsWith(TILE_PREFIX)) {
    const address = parseTilePath(pathname.slice(TILE_PREFIX.length));
    const tile = address && (await desk.readTile(address));
    await (tile ? route.fulfill({ status: 200, contentType: 'image/jpeg', body: tile }) : route.fulfill({ status: 404, body: 'not found' }));
    return;
  }
  const file = resolve(RENDERER_DIR, `.${pathname === '/' ? '/index.html' : decodeURIComponent(pathname)}`);
  if (!file.startsWith(RENDERER_DIR + sep)) {
    await route.fulfill({ status: 404, body: 'not found' });
    return;
  }
  try {
    await route.fulfill({ status: 200, contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', body: await readFile(file) });
  } catch {
    await route.fulfill({ status: 404, body: 'not found' });
  }
}

/** Syncs the desk from its hub, loads the renderer and waits until the worklist (the queue but what is done) is on screen. */
export async function openAtQueue(session: BrowserDesk): Promise<void> {
  await session.desk.sync();
  const done = new Set((await session.desk.handlers['outcome.list'](undefined)).filter((o) => isDone(o.state)).map((o) => o.referralId));
  const referrals = (await session.desk.handlers['queue.list'](undefined)).filter((r) => r.state === 'withdrawn' || !done.has(r.referralId)).length;
  await session.page.goto(`${DESK_ORIGIN}/index.html`);
  await session.page.locator(`table.queue[aria-rowcount="${referrals + 1}"]`).waitFor();
}

/** Waits until every image on screen has all the tiles its view needs: the moment to take a picture. */
export async function imagesAtRest(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const canvases = [...document.querySelectorAll<HTMLElement>('.viewer-canvas')];
    return canvases.length > 0 && canvases.every((canvas) => canvas.dataset.fullyLoaded === 'true');
  });
}
