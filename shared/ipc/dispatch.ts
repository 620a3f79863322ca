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
  return handler(checked.data);
}
