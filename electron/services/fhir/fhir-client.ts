/**
 * A small FHIR R4 REST client: JSON reads and searches that follow `next` links, and Binary
 * content with a byte limit. Every request has a timeout; failures say which URL and why.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';

export class FhirRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface FhirClientOptions {
  baseUrl: string;
  timeoutMs?: number;
}

export interface FhirClient {
  baseUrl: string;
  /** Every resource a search returns, page by page; `onPage` sees each page's resources as it arrives. */
  searchAll(resourceType: string, params: Record<string, string>, onPage: (resources: unknown[]) => void): Promise<number>;
  readBinary(contentUrl: string, maxBytes: number): Promise<{ bytes: Buffer; contentType: string }>;
}

export function createFhirClient(options: FhirClientOptions): FhirClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const base = new URL(`${baseUrl}/`);
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** Only URLs under the configured base are ever fetched, whatever a server's links say. */
  const resolve = (urlOrPath: string): URL => {
    const url = new URL(urlOrPath, base);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new FhirRequestError(`refusing to follow ${url.origin}${url.pathname}: it is outside ${baseUrl}`, null);
    }
    return url;
  };

  const get = async (url: URL, accept: string): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const reason = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : String(err);
      throw new FhirRequestError(`could not reach ${url.origin}${url.pathname}: ${reason}`, null);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new FhirRequestError(`${url.origin}${url.pathname} answered ${response.status} ${response.statusText}`, response.status);
    }
    return response;
  };

  return {
    baseUrl,
    async searchAll(resourceType, params, onPage) {
      let next: URL | undefined = resolve(`${resourceType}?${new URLSearchParams(params).toString()}`);
      let count = 0;
      while (next) {
        const response = await get(next, 'application/fhir+json');
        const bundle = (await response.json()) as Bundle<Resource>;
        if (bundle?.resourceType !== 'Bundle') throw new FhirRequestError(`${next.pathname} did not answer with a Bundle`, response.status);
        const resources = (bundle.entry ?? []).map((entry) => entry.resource).filter((r) => r !== undefined);
        count += resources.length;
        onPage(resources);
        const link = bundle.link?.find((l) => l.relation === 'next')?.url;
        next = link ? resolve(link) : undefined;
      }
      return count;
    },
    async readBinary(contentUrl, maxBytes) {
      const url = resolve(contentUrl);
      const response = await get(url, '*/*');
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > maxBytes) {
        await response.body?.cancel();
        throw new FhirRequestError(`${contentUrl} is ${declared} bytes, over the ${maxBytes}-byte limit`, response.status);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader: ReadableStreamDefaultReader<Uint8Array> | undefined = response.body?.getReader();
      for (let part = await reader?.read(); reader && part && !part.done; part = await reader.read()) {
        size += part.value.length;
        if (size > maxBytes) {
          await reader.cancel();
          throw new FhirRequestError(`${contentUrl} is over the ${maxBytes}-byte limit`, response.status);
        }
        chunks.push(part.value);
      }
      return { bytes: Buffer.concat(chunks), contentType: response.headers.get('content-type') ?? '' };
    },
  };
}
