/**
 * The demo teledermatology hub: a real FHIR R4 server on loopback, built on Medplum's FhirRouter
 * and MemoryRepository behind node:http, seeded with synthetic referrals.
 *
 * Binary resources hold only their content type; their bytes are kept outside the repository
 * (as Medplum's own server keeps them in a storage bucket) and drawn on first request.
 * Faults can be injected (tests script them; `--fault-rate` makes them random).
 */
import { getStatus, isOk, normalizeOperationOutcome, parseSearchRequest } from '@medplum/core';
import { FhirRouter, MemoryRepository, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Binary, Resource, ResourceType } from '@medplum/fhirtypes';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { capabilityStatement } from './capability-statement';
import { createChangeFeed } from './change-feed';
import type { FaultSource } from './faults';
import { createHubAuth } from './hub-auth';
import { indexFhirDefinitions } from './fhir-definitions';
import { renderLesionImage, type LesionImageRecipe } from './generator/lesion-image';
import { generateDemoData } from './generator/referral-cases';
import { DEMO_SERVICE } from './generator/shared-server';
import { json, outcome, readJsonBody, send, type Answer } from './http-io';
import { addPagingLinks, changeBundle } from './search-bundle';
import { createTypeSearch, SearchRefused } from './type-search';
import { ignoreConditions, lacks, staleEntry } from './write-rules';

/** Apache's request line is at most 8,190 bytes; the method and protocol take a little of it. */
const DEFAULT_MAX_URL_CHARS = 8000;

export interface DemoHubOptions {
  cases?: number;
  /**
   * Other specialties' referrals (each with its patient and review Task) and patients never
   * referred: by default five and ten for each teledermatology case, so that most of the server,
   * as on a real one, is not the desk's.
   */
  otherReferrals?: number;
  unreferredPatients?: number;
  seed?: number;
  /** 0 (the default) asks the system for a free port. */
  port?: number;
  now?: Date;
  faults?: FaultSource;
  /**
   * What this server lacks, to try the desk against a lesser one: "_lastUpdated",
   * "chained-search", a search parameter as "Type.param", "transaction", "conditional-create",
   * "if-match". Left out of /metadata, and refused (a search, a transaction) or ignored (a
   * condition) as such servers do. Also "bundle-time" and "date-header": pages without their
   * time, answers without a Date header.
   */
  without?: readonly string[];
  /**
   * How far the hub's clock is ahead of the machine's (behind, when negative): its Date header
   * and its pages' time (Bundle.meta.lastUpdated), as a server with a wrong clock sends them.
   */
  clockOffsetMs?: number;
  /**
   * The longest request address (path and query) the hub takes: longer ones are answered 414, as
   * Apache does past its 8,190-byte request line and proxies do past less. 8,000 unless given.
   */
  maxUrlChars?: number;
  /** Sign-in (hub-auth.ts): required unless a test of something else turns it off. */
  auth?: 'required' | 'off';
  accessTokenTtlMs?: number;
}

export interface DemoHub {
  /** FHIR base URL, e.g. http://127.0.0.1:41234/fhir */
  baseUrl: string;
  caseCount: number;
  /** The teledermatology service the demo's referrals are addressed to, e.g. "HealthcareService/teledermatology". */
  service: string;
  /** How many resources of each type the server holds, for `npm run hub` to say. */
  census(): Promise<Record<string, number>>;
  /** Stores resources exactly as given, meta included: for tests that need a late or odd write. */
  putResources(resources: readonly Resource[]): Promise<void>;
  /** Replaces a Binary's bytes (and stores the Binary): for tests of bad images. */
  putBinary(id: string, bytes: Buffer, contentType: string): Promise<void>;
  /** Requests answered so far, as "METHOD /path?query". */
  requests: string[];
  /** A live access token without the browser, for tests acting as another system on the hub. */
  issueToken(subject?: string): string;
  /** Ends every access token now (refresh tokens too if asked), as a revocation would. */
  revokeTokens(options?: { refreshTokens?: boolean }): void;
  /** Refuses every token, new ones too, as a server does for an account without access. */
  refuseTokens(refusing: boolean): void;
  close(): Promise<void>;
}

const BASE_PATH = '/fhir';
/** Drawn images kept in memory; the rest are drawn again when asked for. */
const IMAGE_CACHE_ENTRIES = 24;
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export async function startDemoHub(options: DemoHubOptions = {}): Promise<DemoHub> {
  indexFhirDefinitions();
  const cases = options.cases ?? 40;
  const { resources, images } = generateDemoData({
    cases, seed: options.seed ?? 1, now: options.now ?? new Date(),
    ...(options.otherReferrals === undefined ? {} : { otherReferrals: options.otherReferrals }),
    ...(options.unreferredPatients === undefined ? {} : { unreferredPatients: options.unreferredPatients }),
  });
  const repo = new MemoryRepository();
  const changes = createChangeFeed(repo);
  const without = new Set(options.without ?? []);
  const maxUrlChars = options.maxUrlChars ?? DEFAULT_MAX_URL_CHARS;
  const hubNow = (): Date => new Date(Date.now() + (options.clockOffsetMs ?? 0));
  const pageTime = (): string | null => (without.has('bundle-time') ? null : hubNow().toISOString());
  const typeSearch = createTypeSearch(repo, without);
  const invalidate = (): void => {
    changes.invalidate();
    typeSearch.invalidate();
  };
  const putResources = async (list: readonly Resource[]): Promise<void> => {
    for (const resource of list) await repo.createResource(resource);
    invalidate();
  };
  await putResources(resources);
  const router = new FhirRouter();
  const drawn = new Map<string, Promise<Buffer>>();
  const uploaded = new Map<string, { bytes: Buffer; contentType: string }>();
  const requests: string[] = [];
  const auth = createHubAuth(options.accessTokenTtlMs === undefined ? {} : { accessTokenTtlMs: options.accessTokenTtlMs });

  const imageBytes = (binaryId: string, recipe: LesionImageRecipe): Promise<Buffer> => {
    let bytes = drawn.get(binaryId);
    if (!bytes) {
      bytes = renderLesionImage(recipe);
      drawn.set(binaryId, bytes);
      bytes.catch(() => drawn.delete(binaryId));
      if (drawn.size > IMAGE_CACHE_ENTRIES) drawn.delete(drawn.keys().next().value as string);
    }
    return bytes;
  };

  /** A Binary's bytes: as uploaded by a test, else drawn from its recipe; null when it has none. */
  const binaryContent = async (id: string): Promise<{ bytes: Buffer; contentType: string } | null> => {
    const given = uploaded.get(id);
    if (given) return given;
    const recipe = images.get(id);
    return recipe ? { bytes: await imageBytes(id, recipe), contentType: 'image/jpeg' } : null;
  };

  async function answer(req: IncomingMessage, url: URL, path: string, method: HttpMethod): Promise<Answer> {
    const binary = /^Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(path);
    if (method === 'GET' && binary) {
      const content = await binaryContent(binary[1] as string);
      if (!content) return json(404, outcome('not-found', `Binary ${binary[1]} has no content`));
      if (!wantsFhirJson(req)) return { status: 200, body: content.bytes, contentType: content.contentType };
      // As FHIR JSON, a Binary carries its content base64-encoded in `data`.
      const stored = await repo.readResource<Binary>('Binary', binary[1] as string);
      const headers: Record<string, string> = stored.meta?.versionId ? { etag: `W/"${stored.meta.versionId}"` } : {};
      return json(200, { ...stored, contentType: content.contentType, data: content.bytes.toString('base64') }, headers);
    }
    const base = `http://${req.headers.host ?? '127.0.0.1'}${BASE_PATH}`;
    if (method === 'GET' && path === '') {
      const page = await changes.search(url.searchParams);
      return json(200, changeBundle(page.resources, page.total, pageTime(), base, url.searchParams, page.next));
    }
    if (method === 'GET' && /^[A-Z][A-Za-z]+$/.test(path)) {
      try {
        const page = await typeSearch.search(path, url.searchParams);
        if (page) return json(200, changeBundle(page.resources, page.total, pageTime(), `${base}/${path}`, url.searchParams, page.next, base));
      } catch (err) {
        if (err instanceof SearchRefused) return json(400, outcome('not-supported', err.message));
        throw err;
      }
    }
    const body = await readJsonBody(req);
    const lacking = lacks(without, method, path, body);
    if (lacking) return json(400, outcome('not-supported', `this server does not support ${lacking}`));
    ignoreConditions(without, req, body);
    const stale = method === 'POST' && path === '' ? await staleEntry(repo, body) : null;
    if (stale) return json(412, outcome('conflict', `transaction not applied: ${stale} has changed since it was read`));
    const fhirRequest: FhirRequest = {
      method,
      url: path + url.search,
      pathname: '',
      body,
      params: {},
      query: {},
      headers: req.headers,
    };
    const [result, resource] = await router.handleRequest(fhirRequest, repo);
    if (method !== 'GET') invalidate();
    if (!isOk(result) || !resource) return json(getStatus(result), result);
    if (resource.resourceType === 'Bundle' && resource.type === 'searchset') addPagingLinks(resource, `${base}/${path}`, url.searchParams);
    const headers: Record<string, string> = resource.meta?.versionId ? { etag: `W/"${resource.meta.versionId}"` } : {};
    return json(getStatus(result), resource, headers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if ((req.url ?? '').length > maxUrlChars) {
      send(res, json(414, outcome('too-long', `The request address is over ${maxUrlChars} characters`)));
      return;
    }
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const method = (req.method ?? 'GET') as HttpMethod;
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
    const signIn = await auth.answer(req, url, origin, `${origin}${BASE_PATH}`);
    if (signIn) {
      send(res, signIn);
      return;
    }
    const inFhir = url.pathname === BASE_PATH || url.pathname.startsWith(`${BASE_PATH}/`);
    if (!inFhir || !METHODS.includes(method)) {
      send(res, json(404, outcome('not-found', `No FHIR endpoint at ${url.pathname}`)));
      return;
    }
    const request = `${method} ${url.pathname}${url.search}`;
    if (method === 'GET' && url.pathname === `${BASE_PATH}/metadata`) {
      // Before any token: a client reads what the server offers (sign-in included) first.
      requests.push(request);
      send(res, json(200, capabilityStatement(origin, `${origin}${BASE_PATH}`, without)));
      return;
    }
    const refusal = options.auth === 'off' ? null : auth.refusal(req);
    if (refusal) {
      send(res, refusal);
      return;
    }
    requests.push(request);
    const fault = options.faults?.take(request);
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'status') {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      send(res, json(fault.status, outcome('transient', `injected fault: ${fault.status}`), headers));
      return;
    }
    if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));
    const path = url.pathname.slice(BASE_PATH.length + 1);
    const answered = await answer(req, url, path, method);
    if (fault?.kind === 'held') await fault.gate.hold(request);
    send(res, answered, fault?.kind === 'truncate');
  }

  const server = createServer((req, res) => {
    res.sendDate = false; // the hub's own clock, or none
    if (!without.has('date-header')) res.setHeader('date', hubNow().toUTCString());
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, json(500, normalizeOperationOutcome(err)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${BASE_PATH}`,
    caseCount: cases,
    service: DEMO_SERVICE,
    async census() {
      const counts: Record<string, number> = {};
      for (const type of ['Patient', 'ServiceRequest', 'Task', 'Media', 'DocumentReference', 'Practitioner', 'Organization', 'HealthcareService']) {
        counts[type] = (await repo.search(parseSearchRequest(type as ResourceType, {}))).total ?? 0;
      }
      return counts;
    },
    putResources,
    async putBinary(id, bytes, contentType) {
      uploaded.set(id, { bytes, contentType });
      await putResources([{ resourceType: 'Binary', id, contentType }]);
    },
    requests,
    issueToken: (subject = 'test-system') => auth.issueToken(subject),
    revokeTokens: (revoking) => auth.revoke(revoking),
    refuseTokens: (refusing) => auth.refuseAll(refusing),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function wantsFhirJson(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/fhir+json') || accept.includes('application/json');
}
