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
  | { kind: 'truncate' }
  /**
   * Carry the request out at once, then hold the answer until the gate opens: a server that has
   * acted but whose answer is late or never arrives, held at a point a test chooses.
   */
  | { kind: 'held'; gate: AnswerGate };

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

/**
 * Holds the answers of `held` faults until opened, and says when it holds one, so a test can
 * act (kill a client, change the server) while the server is known to be at that point.
 */
export class AnswerGate {
  private opened = false;
  private readonly waiting: (() => void)[] = [];
  private readonly heldRequests: string[] = [];
  private readonly heldListeners: (() => void)[] = [];

  /** Called by the hub with an answer ready: resolves when the answer may go. */
  hold(request: string): Promise<void> {
    if (this.opened) return Promise.resolve();
    this.heldRequests.push(request);
    for (const listener of this.heldListeners.splice(0)) listener();
    return new Promise((release) => this.waiting.push(release));
  }

  /** Resolves once `count` answers have been held in all (at once if they have been), with their requests. */
  async held(count = 1): Promise<string[]> {
    while (this.heldRequests.length < count) await new Promise<void>((heard) => this.heldListeners.push(heard));
    return this.heldRequests.slice(0, count);
  }

  /** Lets every held answer go, and every later one straight through. */
  open(): void {
    this.opened = true;
    for (const release of this.waiting.splice(0)) release();
  }
}
