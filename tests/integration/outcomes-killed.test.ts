/**
 * Exactly once, proved: the services run in a child process that is SIGKILLed while it signs and
 * sends, more than fifty times, and started again each time. In the end every outcome it ever
 * reported signed has reached the hub exactly once (counted on the hub), and the hub holds
 * nothing the desk did not sign.
 *
 * Every kill lands just after a state the child reports or the hub is held at, taken in turn:
 * as a signature is asked for, once it is stored, once its sending has begun, once the hub has
 * carried out the transaction but holds back its answer, and once the desk has recorded it sent.
 * The child acts only when told, so each kill finds it with work still to do, however fast or
 * slow the machine is.
 */
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { AnswerGate, type FaultSource } from '../../electron/hub/faults';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { tempDir } from '../support/temp-dir';
import { startTsxChild } from '../support/tsx-child';
import { childLines, type ChildLines } from '../support/child-lines';
import { openCacheFile } from '../support/cache-file';

const CHILD = resolve(__dirname, '../support/outcome-child.ts');
const KILLS = 55;
const TRANSACTION = /^POST \/fhir$/;
let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;
/** When set, the hub carries out the next outcome transaction and holds its answer here. */
let holdNextAnswer: AnswerGate | null = null;
const faults: FaultSource = {
  take(request) {
    if (!holdNextAnswer || !TRANSACTION.test(request)) return undefined;
    const gate = holdNextAnswer;
    holdNextAnswer = null;
    return { kind: 'held', gate };
  },
};

beforeAll(async () => {
  hub = await startDemoHub({ cases: 120, seed: 17, now: new Date('2026-11-25T12:00:00Z'), faults });
  dir = tempDir('desk-outcomes-killed');
});

afterAll(async () => {
  await hub?.close();
  dir?.remove();
});

interface Run extends ChildLines {
  say: (command: 'sign' | 'finish') => void;
  kill: () => void;
}

async function run(): Promise<Run> {
  const child = startTsxChild(CHILD, [dir.path, hub.baseUrl, DEMO_CONSULTANTS[0].id]);
  const lines = childLines(child);
  await lines.next((line) => line === 'ready', 'ready');
  return { ...lines, say: (command) => child.stdin.write(`${command}\n`), kill: () => child.kill('SIGKILL') };
}

const signedLine = (line: string): boolean => line.startsWith('signed ');
const outcomeOf = (signed: string): string => signed.split(' ')[2] as string;

/** Outcomes the cache file records in a state, read from outside the desk. */
function outcomesIn(state: string): number {
  const db = openCacheFile(dir.path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM outbox WHERE state = ?').get(state) as { n: number }).n;
  } finally {
    db.close();
  }
}

interface KillPoint {
  name: string;
  /** Whether the hub holds back the answer to the run's next outcome transaction. */
  holdsAnswer?: true;
  /** Resolves once the run has reached the point. */
  reached: (child: Run, gate: AnswerGate) => Promise<unknown>;
}

/** Where each run is killed: just after this happens to the outcome it is told to sign. */
const KILL_POINTS: KillPoint[] = [
  { name: 'signature asked for', reached: async () => undefined },
  { name: 'signature stored', reached: (child) => child.next(signedLine, 'a signature') },
  {
    name: 'sending begun',
    reached: async (child) => {
      const id = outcomeOf(await child.next(signedLine, 'a signature'));
      await child.next((line) => line === `outcome sending ${id}`, `sending ${id}`);
    },
  },
  {
    name: 'carried out on the hub, answer held back',
    holdsAnswer: true,
    reached: async (child, gate) => {
      await child.next(signedLine, 'a signature');
      await gate.held();
    },
  },
  {
    name: 'recorded as sent',
    reached: async (child) => {
      const id = outcomeOf(await child.next(signedLine, 'a signature'));
      await child.next((line) => line === `outcome sent ${id}`, `sent ${id}`);
    },
  },
];

describe('exactly once, across kills', () => {
  it(`delivers every signed outcome exactly once after ${KILLS} kills`, async () => {
    const reported = new Map<string, string>(); // outcomeId -> referralId, as the child said once stored
    const killedAt = new Map<string, number>();
    for (let kills = 0; kills < KILLS; kills++) {
      const point = KILL_POINTS[kills % KILL_POINTS.length] as KillPoint;
      const child = await run();
      const gate = new AnswerGate();
      if (point.holdsAnswer) holdNextAnswer = gate;
      child.say('sign');
      await point.reached(child, gate);
      child.kill();
      // The child was still at work: killed, not finished.
      expect(await child.exited, point.name).toBeNull();
      if (point.holdsAnswer) {
        // The hub acted, the desk never heard: it still has the outcome as being sent.
        expect(outcomesIn('sending')).toBeGreaterThan(0);
      }
      gate.open();
      killedAt.set(point.name, (killedAt.get(point.name) ?? 0) + 1);
      for (const line of child.lines.filter(signedLine)) {
        const [, referralId, outcomeId] = line.split(' ');
        reported.set(outcomeId as string, referralId as string);
      }
    }
    expect([...killedAt.values()]).toEqual(KILL_POINTS.map(() => KILLS / KILL_POINTS.length));
    const last = await run();
    last.say('finish');
    expect(await last.exited).toBe(0);
    expect(last.lines.at(-1)).toBe('done');
    // Kills fell among the signatures: every run but those killed as one was asked for reported one.
    expect(reported.size).toBeGreaterThanOrEqual(KILLS - KILLS / KILL_POINTS.length);

    const db = openCacheFile(dir.path, { readonly: true });
    const rows = db.prepare(`SELECT o.id, o.referral_id AS referralId, b.state FROM outcome o JOIN outbox b ON b.outcome_id = o.id`).all() as
      { id: string; referralId: string; state: string }[];
    db.close();
    // Nothing the child reported stored was lost.
    const stored = new Set(rows.map((r) => r.id));
    for (const outcomeId of reported.keys()) expect(stored.has(outcomeId), outcomeId).toBe(true);
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    // One outcome per referral awaiting review (120 cases, less the withdrawn and the colleague's).
    expect(new Set(rows.map((r) => r.referralId)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(100);

    // Counted on the hub: each outcome's opinion exactly once, and no opinion the desk did not sign.
    const onHub = (await (await fetch(`${hub.baseUrl}/Communication?_count=1000`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as Bundle<Communication>;
    const delivered = (onHub.entry ?? []).map((e) => e.resource?.identifier?.find((i) => i.system === DESK_IDENTIFIER_SYSTEM.outcome)?.value);
    expect([...delivered].sort()).toEqual(rows.map((r) => r.id).sort());
  }, 600_000); // some sixty child processes, each started and killed: a guard against a hang, not a measure
});
