/** Reading requests and writing answers for the demo hub, with faults applied on the way out. */
import type { OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 20 * 1024 * 1024;

/** The whole request body, refused past `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  return body.length === 0 ? undefined : (JSON.parse(body.toString('utf8')) as unknown);
}

export function outcome(code: OperationOutcomeIssue['code'], text: string): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text } }] };
}

export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: Buffer;
  contentType: string;
}

export function json(status: number, resource: Resource, headers: Record<string, string> = {}): Answer {
  return { status, headers, body: Buffer.from(JSON.stringify(resource)), contentType: 'application/fhir+json; charset=utf-8' };
}

/** Writes an answer; with `truncate`, promises the whole body, sends half and hangs up. */
export function send(res: ServerResponse, answer: Answer, truncate = false): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-type': answer.contentType, 'content-length': answer.body.length });
  if (!truncate) {
    res.end(answer.body);
    return;
  }
  res.write(answer.body.subarray(0, Math.floor(answer.body.length / 2)), () => res.destroy());
}
