/**
 * How the demo hub takes a write as a real server would: a transaction all or nothing; refused
 * where it plays a server without transactions, its conditions ignored where it plays one
 * without If-Match or conditional create.
 */
import type { HttpMethod, MemoryRepository } from '@medplum/fhir-router';
import type { Bundle } from '@medplum/fhirtypes';
import type { IncomingMessage } from 'node:http';

/**
 * MemoryRepository applies a transaction entry by entry and cannot roll back, so a transaction
 * whose If-Match no longer holds would be half applied. A real server applies all or nothing:
 * check every If-Match first and refuse the whole transaction if one fails.
 */
export async function staleEntry(repo: MemoryRepository, body: unknown): Promise<string | null> {
  const bundle = body as Bundle | undefined;
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction') return null;
  for (const entry of bundle.entry ?? []) {
    const { ifMatch, url } = entry.request ?? {};
    const target = /^([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(url ?? '');
    if (!ifMatch || !target) continue;
    const wanted = /"([^"]+)"/.exec(ifMatch)?.[1];
    const current = await repo.readResource(target[1] as string, target[2] as string).catch(() => undefined);
    if (!current || current.meta?.versionId !== wanted) return url ?? '';
  }
  return null;
}

/** What a write asks for that this server was started without, if anything. */
export function lacks(without: ReadonlySet<string>, method: HttpMethod, path: string, body: unknown): string | null {
  const bundle = body as Bundle | undefined;
  if (method !== 'POST' || path !== '' || bundle?.resourceType !== 'Bundle' || bundle.type !== 'transaction') return null;
  return without.has('transaction') ? 'transactions' : null;
}

/** What a server without them does with If-Match and ifNoneExist: takes no notice, and writes. */
export function ignoreConditions(without: ReadonlySet<string>, req: IncomingMessage, body: unknown): void {
  if (without.has('if-match')) delete req.headers['if-match'];
  for (const entry of (body as Bundle | undefined)?.entry ?? []) {
    if (!entry.request) continue;
    if (without.has('if-match')) delete entry.request.ifMatch;
    if (without.has('conditional-create')) delete entry.request.ifNoneExist;
  }
}
