/**
 * The one door every carrier's requests go through: unknown names and payloads that do not
 * match the contract are refused before any handler runs.
 */
import { isRequestName, requests, type DeskHandlers } from './contract';

export class ContractError extends Error {}

export async function dispatch(handlers: DeskHandlers, name: unknown, payload: unknown): Promise<unknown> {
  if (!isRequestName(name)) throw new ContractError(`unknown request ${String(name)}`);
  const checked = requests[name].payload.safeParse(payload);
  if (!checked.success) {
    throw new ContractError(`bad payload for ${name}: ${checked.error.issues.map((i) => i.message).join('; ')}`);
  }
  const handler = handlers[name] as (payload: unknown) => Promise<unknown>;
  try {
    return await handler(checked.data);
  } catch (err) {
    throw inPlainWords(err);
  }
}

/** SQLite's errors carry a code; for a damaged file, a full disk or a busy one, what the consultant reads is what it means for them, never SQLite's message. */
const STORAGE_FAILURES: readonly [RegExp, string][] = [
  [/^SQLITE_FULL/, 'The disk is full, so the desk could not save this. Free some space (tell IT), then try again.'],
  [/^SQLITE_(BUSY|LOCKED)/, 'The desk was busy saving something else and could not save this in time. Try again.'],
  [/^SQLITE_(CORRUPT|NOTADB|IOERR|CANTOPEN)/, "The desk's cache could not save or read this: its file may be damaged. Close the desk and open it again: it checks its cache as it opens and repairs it, and what you have signed is also kept in its outcome journal."],
];

/** An error from the cache, told in plain words (the original is kept as its cause, for the log). */
export function inPlainWords(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return err;
  const plain = STORAGE_FAILURES.find(([pattern]) => pattern.test(code));
  if (!plain) return err;
  console.error('a request failed in the cache:', err);
  return new Error(plain[1], { cause: err });
}
