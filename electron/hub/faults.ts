/**
 * Fault injection for the demo hub: scripted faults for tests (this request fails this way, so
 * many times) and random faults for trying the desk against a flaky server by hand.
 */
import { seededRandom } from './generator/random';

export type Fault =
  /** Answer with this HTTP status (and Retry-After, if given) instead of the real answer. */
  | { kind: 'status'; status: number; retryAfter?: string }
  /** Answer correctly, but only after a pause. */
  | { kind: 'slow'; ms: number }
  /** Close the connection without answering. */
  | { kind: 'drop' }
  /** Promise the whole body, send half, then close. */
  | { kind: 'truncate' };

export interface FaultRule {
  /** Which requests (method and path with query, e.g. "GET /fhir?_type=..."); all when absent. */
  match?: RegExp;
  /** How many matching requests fail; default 1. */
  times?: number;
  fault: Fault;
}

export interface FaultSource {
  take(request: string): Fault | undefined;
}

export class FaultPlan implements FaultSource {
  private readonly rules: { match?: RegExp; left: number; fault: Fault }[] = [];

  add(rule: FaultRule): this {
    this.rules.push({ match: rule.match, left: rule.times ?? 1, fault: rule.fault });
    return this;
  }

  take(request: string): Fault | undefined {
    const rule = this.rules.find((r) => r.left > 0 && (!r.match || r.match.test(request)));
    if (!rule) return undefined;
    rule.left -= 1;
    return rule.fault;
  }

  /** Faults still waiting to happen (a test can check that its script was used up). */
  pending(): number {
    return this.rules.reduce((n, r) => n + r.left, 0);
  }
}

/** Each request fails with probability `rate`, in one of the ways above, chosen by a seed. */
export function randomFaults(rate: number, seed: number): FaultSource {
  const random = seededRandom(seed);
  const kinds: Fault[] = [
    { kind: 'status', status: 500 },
    { kind: 'status', status: 503, retryAfter: '1' },
    { kind: 'status', status: 429, retryAfter: '2' },
    { kind: 'slow', ms: 3000 },
    { kind: 'drop' },
    { kind: 'truncate' },
  ];
  return { take: () => (random.chance(rate) ? random.pick(kinds) : undefined) };
}
