/**
 * The demo teledermatology hub: a real FHIR R4 server on loopback, built on Medplum's FhirRouter
 * and MemoryRepository behind node:http, seeded with synthetic referrals.
 *
 * Binary resources hold only their content type; their bytes are kept outside the repository
 * (as Medplum's own server keeps them in a storage bucket) and drawn on first request.
 */
import { getStatus, isOk, normalizeOperationOutcome } from '@medplum/core';
import { FhirRouter, MemoryRepository, type FhirRequest, type HttpMethod } from '@medplum/fhir-router';
import type { Bundle, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { indexFhirDefinitions } from './fhir-definitions';
import { renderLesionImage, type LesionImageRecipe } from './generator/lesion-image';
import { generateDemoData } from './generator/referral-cases';

export interface DemoHubOptions {
  cases?: number;
  seed?: number;
  /** 0 (the default) asks the system for a free port. */
  port?: number;
  now?: Date;
}

export interface DemoHub {
  /** FHIR base URL, e.g. http://127.0.0.1:41234/fhir */
  baseUrl: string;
  caseCount: number;
  close(): Promise<void>;
}

const BASE_PATH = '/fhir';
const MAX_BODY_BYTES = 20 * 1024 * 1024;
/** Drawn images kept in memory; the rest are drawn again when asked for. */
const IMAGE_CACHE_ENTRIES = 24;
const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export async function startDemoHub(options: DemoHubOptions = {}): Promise<DemoHub> {
  indexFhirDefinitions();
  const cases = options.cases ?? 40;
  const { resources, images } = generateDemoData({ cases, seed: options.seed ?? 1, now: options.now ?? new Date() });
  const repo = new MemoryRepository();
  for (const resource of resources) await repo.createResource(resource);
  const router = new FhirRouter();
  const drawn = new Map<string, Promise<Buffer>>();

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

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => sendJson(res, 500, normalizeOperationOutcome(err)));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const method = (req.method ?? 'GET') as HttpMethod;
    if (!url.pathname.startsWith(`${BASE_PATH}/`) || !METHODS.includes(method)) {
      sendJson(res, 404, outcome('not-found', `No FHIR endpoint at ${url.pathname}`));
      return;
    }
    const path = url.pathname.slice(BASE_PATH.length + 1);

    const binary = /^Binary\/([A-Za-z0-9\-.]{1,64})$/.exec(path);
    if (method === 'GET' && binary && !wantsFhirJson(req)) {
      const recipe = images.get(binary[1] as string);
      if (!recipe) {
        sendJson(res, 404, outcome('not-found', `Binary ${binary[1]} has no content`));
        return;
      }
      const bytes = await imageBytes(binary[1] as string, recipe);
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length });
      res.end(bytes);
      return;
    }

    const body = await readJsonBody(req);
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
    if (!isOk(result) || !resource) {
      sendJson(res, getStatus(result), result);
      return;
    }
    if (resource.resourceType === 'Bundle' && resource.type === 'searchset') {
      addPagingLinks(resource, `http://${req.headers.host ?? '127.0.0.1'}${BASE_PATH}/${url.pathname.slice(BASE_PATH.length + 1)}`, url.searchParams);
    }
    sendJson(res, getStatus(result), resource);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${BASE_PATH}`,
    caseCount: cases,
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

/** MemoryRepository pages with _count/_offset but leaves the links out; a real server sends them. */
function addPagingLinks(bundle: Bundle, selfUrl: string, query: URLSearchParams): void {
  const count = Number(query.get('_count') ?? 20);
  const offset = Number(query.get('_offset') ?? 0);
  const withOffset = (value: number): string => {
    const next = new URLSearchParams(query);
    next.set('_offset', String(value));
    next.set('_count', String(count));
    return `${selfUrl}?${next.toString()}`;
  };
  bundle.link = [{ relation: 'self', url: withOffset(offset) }];
  const returned = bundle.entry?.length ?? 0;
  if (bundle.total !== undefined && offset + returned < bundle.total && returned > 0) {
    bundle.link.push({ relation: 'next', url: withOffset(offset + returned) });
  }
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

function outcome(code: OperationOutcomeIssue['code'], text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

function sendJson(res: ServerResponse, status: number, body: Resource): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
