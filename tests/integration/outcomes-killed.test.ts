/**
 * Exactly once, proved: the services run in a child process that is SIGKILLed while it signs and
 * sends, more than fifty times, and started again each time. In the end every outcome it ever
 * reported signed has reached the hub exactly once (counted on the hub), and the hub holds
 * nothing the desk did not sign.
 *
 * Every kill lands just after a state the child reports, or the hub is held at, taken in turn:
 * a signature under way, stored, its sending begun, carried out on the hub with the answer held
 * back (the desk never hears), and recorded as sent. The child acts only when told, so it is
 * always there to be killed, however fast or slow the machine; what each state promises is
 * checked in the cache file straight after the kill.
 */
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { AnswerGate, type FaultSource } from '../../electron/hub/faults';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { tempDir } from '../support/temp-dir';
import { startTsxChild, stopTsxChildren } from '../support/tsx-child';
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
  stopTsxChildren();
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

/** Reads the cache file from outside the desk. */
function inCache<T>(read: (db: ReturnType<typeof openCacheFile>) => T): T {
  const db = openCacheFile(dir.path, { readonly: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
const stateOf = (outcomeId: string): string | undefined =>
  inCache((db) => (db.prepare('SELECT state FROM outbox WHERE outcome_id = ?').get(outcomeId) as { state: string } | undefined)?.state);
const onHub = async (outcomeId: string): Promise<number> => {
  const url = `${hub.baseUrl}/Communication?identifier=${encodeURIComponent(`${DESK_IDENTIFIER_SYSTEM.outcome}|${outcomeId}`)}`;
  return ((await (await fetch(url, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as Bundle).entry?.length ?? 0;
};

interface KillPoint {
  name: string;
  /** Whether the hub holds back the answer to the run's next outcome transaction. */
  holdsAnswer?: true;
  /** Resolves, with the run's outcome once it has one, when the run has reached the point. */
  reached: (child: Run, gate: AnswerGate) => Promise<string | null>;
  /** What the point promises, checked in the cache (and on the hub) after the kill. */
  holds: (outcomeId: string | null) => Promise<void>;
}

const signedId = async (child: Run): Promise<string> => outcomeOf(await child.next(signedLine, 'a signature'));

/** Where each run is killed: just after this happens to the outcome it is told to sign. */
const KILL_POINTS: KillPoint[] = [
  {
    name: 'signature under way',
    reached: async (child) => (await child.next((line) => line.startsWith('signing '), 'a signature begun'), null),
    holds: async () => undefined, // signed whole or not at all: checked at the end against the audit trail
  },
  {
    name: 'signature stored',
    reached: signedId,
    holds: async (id) => expect(stateOf(id!)).toBeDefined(),
  },
  {
    name: 'sending begun',
    reached: async (child) => {
      const id = await signedId(child);
      await child.next((line) => line === `outcome sending ${id}`, `sending ${id}`);
      return id;
    },
    holds: async (id) => expect(['sending', 'sent']).toContain(stateOf(id!)),
  },
  {
    name: 'carried out on the hub, answer held back',
    holdsAnswer: true,
    reached: async (child, gate) => {
      await signedId(child);
      await child.whileRunning(gate.held(), 'the hub held an answer');
      return null; // the answer held may be an earlier run's outcome, sent again as this run started
    },
    // The hub acted and the desk never heard: an outcome the hub holds is, to the desk, still being sent.
    holds: async () => {
      const sending = inCache((db) => (db.prepare("SELECT outcome_id AS id FROM outbox WHERE state = 'sending'").all() as { id: string }[]).map((r) => r.id));
      const delivered = await Promise.all(sending.map(onHub));
      expect(delivered).toContain(1);
    },
  },
  {
    name: 'recorded as sent',
    reached: async (child) => {
      const id = await signedId(child);
      await child.next((line) => line === `outcome sent ${id}`, `sent ${id}`);
      return id;
    },
    holds: async (id) => expect(stateOf(id!)).toBe('sent'),
  },
];

describe('exactly once, across kills', () => {
  it(`delivers every signed outcome exactly once after ${KILLS} kills`, async () => {
    const reported = new Map<string, string>(); // outcomeId -> referralId, as the child said once stored
    for (let kills = 0; kills < KILLS; kills++) {
      const point = KILL_POINTS[kills % KILL_POINTS.length] as KillPoint;
      const child = await run();
      const gate = new AnswerGate();
      if (point.holdsAnswer) holdNextAnswer = gate;
      child.say('sign');
      const outcomeId = await point.reached(child, gate);
      child.kill();
      // Ended by the kill, not by a crash of its own.
      expect(await child.exited, point.name).toBeNull();
      await point.holds(outcomeId);
      gate.open();
      for (const line of child.lines.filter(signedLine)) {
        const [, referralId, id] = line.split(' ');
        reported.set(id as string, referralId as string);
      }
    }
    const last = await run();
    last.say('finish');
    expect(await last.exited).toBe(0);
    expect(last.lines.at(-1)).toBe('done');

    const rows = inCache((db) => db.prepare(`SELECT o.id, o.referral_id AS referralId, b.state FROM outcome o JOIN outbox b ON b.outcome_id = o.id`).all() as
      { id: string; referralId: string; state: string }[]);
    // Every signature whole, the kills under way included: each outcome with its audit entry, and no entry without one.
    expect(inCache((db) => (db.prepare("SELECT subject FROM audit WHERE action = 'outcome.signed'").all() as { subject: string }[]).map((r) => r.subject).sort())).toEqual(
      rows.map((r) => r.id).sort(),
    );
    // Nothing the child reported stored was lost.
    const stored = new Set(rows.map((r) => r.id));
    for (const outcomeId of reported.keys()) expect(stored.has(outcomeId), outcomeId).toBe(true);
    expect(rows.every((r) => r.state === 'sent')).toBe(true);
    // One outcome per referral awaiting review (120 cases, less the withdrawn and the colleague's).
    expect(new Set(rows.map((r) => r.referralId)).size).toBe(rows.length);
    expect(rows.length).toBeGreaterThanOrEqual(100);

    // Counted on the hub: each outcome's opinion exactly once, and no opinion the desk did not sign.
    const communications = (await (await fetch(`${hub.baseUrl}/Communication?_count=1000`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as Bundle<Communication>;
    const delivered = (communications.entry ?? []).map((e) => e.resource?.identifier?.find((i) => i.system === DESK_IDENTIFIER_SYSTEM.outcome)?.value);
    expect([...delivered].sort()).toEqual(rows.map((r) => r.id).sort());
  }, 600_000); // some sixty child processes, each started and killed: a guard against a hang, not a measure
});
