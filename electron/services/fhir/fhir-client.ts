/**
 * A small FHIR R4 REST client. Every request has a timeout; network errors, 429 and 5xx are
 * retried with capped exponential backoff and jitter (Retry-After honoured); other 4xx are not.
 * A body is read whole inside the attempt, so a truncated answer is retried like a dropped one.
 * Only URLs under the configured base are ever fetched, whatever a server's links say.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { leadingNextLink, nextLinkOf, pageFrom, type FhirPage } from './bundle-text';
import { aTurn, oneATurn } from './one-a-turn';
import { DEFAULT_RETRY_POLICY, isRetryableStatus, parseRetryAfter, retryDelay, type RetryPolicy } from './retry-policy';

/**
 * unreachable: no answer at all (network down, connection dropped, timeout);
 * unreadable: an answer that could not be read (cut short, not FHIR);
 * status: the server answered with an error status;
 * refused: the desk would not make or accept the request (outside the base URL, over a limit);
 * signed-out: the server wants a sign-in the consultant has not (yet) given.
 */
export type FhirFailure = 'unreachable' | 'unreadable' | 'status' | 'refused' | 'signed-out';

export class FhirRequestError extends Error {
  constructor(
    message: string,
    readonly failure: FhirFailure,
    readonly status: number | null = null,
    /** What the server said of it (its OperationOutcome's diagnostics or details), when it said anything. */
    readonly diagnostics: string | null = null,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.failure === 'unreachable' || this.failure === 'unreadable' || (this.failure === 'status' && isRetryableStatus(this.status ?? 0));
  }
}

/** Where bearer tokens come from (auth/auth-session.ts); a server without sign-in has none. */
export interface FhirAuth {
  /** Throws a FhirRequestError: 'signed-out' (the consultant must sign in) or 'unreachable' (retried). */
  authorization(): Promise<string>;
  /** The server refused this header (401): true when another is ready to try. */
  rejected(used: string): Promise<boolean>;
  /** The server refused the header just renewed for this request: renewing again would loop. */
  refusedFresh?(used: string): void;
}

export interface FhirClientOptions {
  baseUrl: string;
  timeoutMs?: number;
  /**
   * How each try's time runs out: AbortSignal.timeout(timeoutMs), unless a test runs it out
   * itself (abort with a TimeoutError), so a timed-out request is not a race with the clock.
   */
  timeoutSignal?: (timeoutMs: number, url: URL) => AbortSignal;
  retry?: Partial<RetryPolicy>;
  auth?: FhirAuth | null;
  /** Pages of one search at most (MAX_PAGES_PER_SEARCH unless said). */
  maxPagesPerSearch?: number;
}

export interface FhirClient {
  baseUrl: string;
  /**
   * Follows `next` links from `first` (relative to the base), handing over one page at a time in
   * order; a page handler that returns a promise is waited for. The next page is already asked for
   * while one is parsed and handled.
   */
  pageThrough(first: string, onPage: (page: FhirPage) => void | Promise<void>): Promise<void>;
  readBinary(contentUrl: string, maxBytes: number): Promise<{ bytes: Buffer; contentType: string }>;
  /** Reads one resource, e.g. "Task/task-0001". */
  read(path: string): Promise<Resource>;
  /** Replaces a resource only if it is still at `ifMatchVersion` (If-Match); a 412 says someone else changed it. */
  update(path: string, resource: Resource, ifMatchVersion: string): Promise<Resource>;
  /** One page of a search, e.g. "Communication?identifier=…". */
  search(pathAndQuery: string): Promise<Bundle>;
  /** Posts a transaction bundle to the base; resolves with the transaction-response. */
  transact(bundle: Bundle): Promise<Bundle>;
  /** Stops every request now and refuses new ones ('refused'): the desk is closing, and waits for no server. */
  stop(): void;
}

interface Call {
  method?: 'GET' | 'PUT' | 'POST';
  accept: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Stops the request, retries included, once it is no longer wanted. */
  signal?: AbortSignal;
}

interface Attempt {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** A page of a search: generous, but not unbounded. */
const MAX_PAGE_BYTES = 64 * 1024 * 1024;
/**
 * Pages of one search, at most: two million resources at the desk's page size, and still a
 * hundred thousand from a server that sends twenty a page. A server that sends fresh `next`
 * links for ever is stopped here.
 */
export const MAX_PAGES_PER_SEARCH = 10_000;
const MAX_RESOURCE_BYTES = 4 * 1024 * 1024;
const FHIR_JSON = 'application/fhir+json';

function bundleFrom(url: URL, answer: Attempt, text = answer.body.toString('utf8')): Bundle {
  const resource = resourceFrom(url, answer, text);
  if (resource.resourceType !== 'Bundle') throw new FhirRequestError(`${url.origin}${url.pathname} answered with a ${resource.resourceType}, not a Bundle`, 'unreadable', answer.status);
  return resource;
}

function resourceFrom(url: URL, answer: Attempt, text = answer.body.toString('utf8')): Resource {
  try {
    const parsed = JSON.parse(text) as Resource;
    if (typeof parsed?.resourceType === 'string') return parsed;
  } catch {
    // fall through
  }
  throw new FhirRequestError(`${url.origin}${url.pathname} sent an answer that is not a FHIR resource (status ${answer.status})`, 'unreadable', answer.status);
}

/** Longest server explanation kept: enough for a validation message, not a stack trace. */
const MAX_DIAGNOSTICS_CHARS = 500;

/** What an OperationOutcome in an error answer says, in the server's words; null when it is not one. */
export function outcomeText(body: Buffer): string | null {
  if (body.length === 0 || body.length > MAX_RESOURCE_BYTES) return null;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { resourceType?: unknown; issue?: unknown };
    if (parsed.resourceType !== 'OperationOutcome' || !Array.isArray(parsed.issue)) return null;
    const said = (parsed.issue as { diagnostics?: unknown; details?: { text?: unknown } }[])
      .map((issue) => (typeof issue?.diagnostics === 'string' ? issue.diagnostics : typeof issue?.details?.text === 'string' ? issue.details.text : null))
      .filter((text): text is string => text !== null && text.trim() !== '');
    // Control characters out: this is shown to the consultant and written to the audit trail.
    const text = Array.from(said.join('; '), (c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? ' ' : c)).join('').trim();
    return text === '' ? null : text.slice(0, MAX_DIAGNOSTICS_CHARS);
  } catch {
    return null;
  }
}

/** A page's next link; a malformed one is an unreadable page, never taken for the last. */
function nextLinkFrom(url: URL, answer: Attempt, bundle: Bundle): string | null {
  try {
    return nextLinkOf(bundle.link);
  } catch (err) {
    throw new FhirRequestError(`${url.origin}${url.pathname} sent a page whose links cannot be read: ${(err as Error).message}`, 'unreadable', answer.status);
  }
}


export function createFhirClient(options: FhirClientOptions): FhirClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const base = new URL(`${baseUrl}/`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const timeoutSignal = options.timeoutSignal ?? ((ms: number): AbortSignal => AbortSignal.timeout(ms));
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const maxPages = options.maxPagesPerSearch ?? MAX_PAGES_PER_SEARCH;
  const stopping = new AbortController();
  const stoppedError = (where: string): FhirRequestError => new FhirRequestError(`${where} was stopped: the desk is closing`, 'refused');
  /** A wait before trying again, cut short when the client is stopped (the next try then refuses). */
  const sleepUnlessStopped = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        stopping.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      stopping.signal.addEventListener('abort', done, { once: true });
    });

  const resolve = (urlOrPath: string): URL => {
    const url = new URL(urlOrPath, base);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname.replace(/\/$/, ''))) {
      throw new FhirRequestError(`refusing to follow ${url.origin}${url.pathname}: it is outside ${baseUrl}`, 'refused');
    }
    return url;
  };

  /** One try: the whole body read, or an error saying what went wrong. */
  const attempt = async (url: URL, call: Call, maxBytes: number): Promise<Attempt> => {
    const response = await fetch(url, {
      method: call.method ?? 'GET',
      headers: { accept: call.accept, ...call.headers, ...(call.body === undefined ? {} : { 'content-type': 'application/fhir+json' }) },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: AbortSignal.any([timeoutSignal(timeoutMs, url), stopping.signal, ...(call.signal ? [call.signal] : [])]),
    });
    const declared = Number(response.headers.get('content-length') ?? 0);
    if (declared > maxBytes) {
      await response.body?.cancel();
      throw new FhirRequestError(`${url.pathname} is ${declared} bytes, over the ${maxBytes}-byte limit`, 'refused', response.status);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
    for (let part = await reader?.read(); reader && part && !part.done; part = await reader.read()) {
      size += part.value.length;
      if (size > maxBytes) {
        await reader.cancel();
        throw new FhirRequestError(`${url.pathname} is over the ${maxBytes}-byte limit`, 'refused', response.status);
      }
      chunks.push(part.value);
    }
    return { status: response.status, headers: response.headers, body: Buffer.concat(chunks) };
  };

  const describe = (err: unknown): string => {
    if (err instanceof Error && err.name === 'TimeoutError') return `no answer within ${timeoutMs / 1000} s`;
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    return `${err instanceof Error ? err.message : String(err)}${cause}`;
  };

  /** Tries until an answer is usable, the request is hopeless, or the attempts run out. */
  const authorization = async (): Promise<string | null> => {
    try {
      return (await options.auth?.authorization()) ?? null;
    } catch (err) {
      // The auth session says which: signed out (wait for the consultant) or unreachable (retried).
      throw err instanceof FhirRequestError ? err : new FhirRequestError(err instanceof Error ? err.message : String(err), 'signed-out', 401);
    }
  };

  const send = async <T>(url: URL, call: Call, maxBytes: number, use: (answer: Attempt) => T | Promise<T>): Promise<T> => {
    const where = `${call.method ?? 'GET'} ${url.origin}${url.pathname}`;
    let renewed = false;
    for (let n = 1; ; n++) {
      if (stopping.signal.aborted) throw stoppedError(where);
      let failure: FhirRequestError;
      let retryAfter: number | null = null;
      try {
        const bearer = await authorization();
        const answer = await attempt(url, bearer ? { ...call, headers: { ...call.headers, authorization: bearer } } : call, maxBytes);
        if (answer.status === 401 && bearer && !renewed) {
          // Once per request: a token that ran out is renewed and the request sent again at once.
          renewed = true;
          if (await options.auth!.rejected(bearer)) {
            n--;
            continue;
          }
        }
        if (answer.status === 401) {
          if (bearer && renewed) options.auth?.refusedFresh?.(bearer);
          throw new FhirRequestError(`${where} answered 401: sign in again`, 'signed-out', 401);
        }
        if (answer.status < 200 || answer.status >= 300) {
          retryAfter = parseRetryAfter(answer.headers.get('retry-after'), Date.now());
          throw new FhirRequestError(`${where} answered ${answer.status}`, 'status', answer.status, outcomeText(answer.body));
        }
        return await use(answer);
      } catch (err) {
        failure = err instanceof FhirRequestError ? err : new FhirRequestError(`could not reach ${url.origin}${url.pathname}: ${describe(err)}`, 'unreachable');
      }
      // Stopped: a request cut off says so; any other failure (a sign-in ended) says its own.
      if (stopping.signal.aborted) throw failure.failure === 'unreachable' ? stoppedError(where) : failure;
      if (call.signal?.aborted) throw new FhirRequestError(`${where} was stopped: it is no longer wanted`, 'refused');
      const wait = failure.retryable ? retryDelay(policy, n, retryAfter, Math.random) : null;
      if (wait === null) throw failure;
      await sleepUnlessStopped(wait);
    }
  };

  return {
    baseUrl,
    async pageThrough(first, onPage) {
      // The next page is asked for as soon as its link is known, so that the server prepares it
      // while the desk parses and handles this one: read from the top of the page the paging
      // waits for, when the server writes its links before its entries; otherwise once that page
      // is parsed. So, beside the page being handled, at most two are held: the next, and the
      // one after it asked for. What is still asked for when the paging ends is stopped.
      type Fetched = { bundle: Bundle; text: string; next: string | null; date: string | null };
      type Asked = { url: string; page: Promise<Fetched>; stop: AbortController };
      let awaited: Asked | null = null;
      let askedAhead: Asked | null = null;
      // A server's next link that points back to a page already read would be followed for ever:
      // each page's address is noted, and one asked for again (or one page too many) ends the paging.
      const addresses = new Set<string>();
      const ask = (link: string): Asked => {
        const page = resolve(link);
        if (addresses.has(page.href)) throw new FhirRequestError(`${page.origin}${page.pathname} sent a next link back to a page already read: the search was stopped after ${addresses.size} page(s), as the server would have sent the same pages for ever`, 'refused');
        if (addresses.size >= maxPages) throw new FhirRequestError(`${page.origin}${page.pathname} sent more than ${maxPages} pages for one search: it was stopped there`, 'refused');
        addresses.add(page.href);
        const stop = new AbortController();
        const asked: Asked = {
          url: link,
          stop,
          // An unreadable page is 'unreadable', retried like a dropped connection.
          page: send(page, { accept: FHIR_JSON, signal: stop.signal }, MAX_PAGE_BYTES, async (answer) => {
            const text = answer.body.toString('utf8');
            // Only the page waited for asks ahead, and once: a retried or a dropped page never does.
            const ahead = asked === awaited && askedAhead === null ? leadingNextLink(text) : null;
            if (ahead !== null) {
              try {
                askedAhead = ask(ahead);
                await aTurn(); // lets the request go out before the parse holds the thread
              } catch {
                // Refused (outside the base): said once the parsed page is followed there.
              }
            }
            // A turn of its own: the parse holds the thread.
            return oneATurn(() => {
              const bundle = bundleFrom(page, answer, text);
              return { bundle, text, next: nextLinkFrom(page, answer, bundle), date: answer.headers.get('date') };
            });
          }),
        };
        asked.page.catch(() => undefined); // handled when awaited; not an unhandled rejection meanwhile
        return asked;
      };
      awaited = ask(first);
      try {
        while (awaited) {
          const { bundle, text, next, date }: Fetched = await awaited.page;
          // The parsed page decides: a link read ahead that it does not have is dropped.
          const ahead = askedAhead as Asked | null; // set meanwhile, by the page awaited
          askedAhead = null;
          if (ahead && ahead.url !== next) ahead.stop.abort();
          // A next page refused (asked for before, one too many, outside the base): this page is
          // still handed over, then the paging ends with the reason.
          const refused: unknown[] = [];
          try {
            awaited = ahead?.url === next ? ahead : next === null ? null : ask(next);
          } catch (err) {
            awaited = null;
            refused.push(err);
          }
          // A turn between parsing a page and handling it: a request just made goes out, and
          // the renderer's calls and tiles are served between the two instead of after both
          // (a first sync's event-loop delay p99 13-14 against 15-16 ms, no slower).
          await aTurn();
          await onPage(pageFrom({ bundle, text, date }));
          if (refused.length > 0) throw refused[0];
        }
      } finally {
        awaited?.stop.abort();
        (askedAhead as Asked | null)?.stop.abort();
      }
    },
    async readBinary(contentUrl, maxBytes) {
      return send(resolve(contentUrl), { accept: '*/*' }, maxBytes, ({ body, headers }) => ({ bytes: body, contentType: headers.get('content-type') ?? '' }));
    },
    async read(path) {
      const url = resolve(path);
      return send(url, { accept: FHIR_JSON }, MAX_RESOURCE_BYTES, (answer) => resourceFrom(url, answer));
    },
    async search(pathAndQuery) {
      const url = resolve(pathAndQuery);
      return send(url, { accept: FHIR_JSON }, MAX_PAGE_BYTES, (answer) => bundleFrom(url, answer));
    },
    stop() {
      stopping.abort();
    },
    async transact(bundle) {
      const url = resolve(baseUrl);
      return send(url, { method: 'POST', accept: FHIR_JSON, body: bundle }, MAX_PAGE_BYTES, (answer) => bundleFrom(url, answer));
    },
    async update(path, resource, ifMatchVersion) {
      const url = resolve(path);
      const call: Call = { method: 'PUT', accept: FHIR_JSON, body: resource, headers: { 'if-match': `W/"${ifMatchVersion}"` } };
      return send(url, call, MAX_RESOURCE_BYTES, (answer) => resourceFrom(url, answer));
    },
  };
}
