/**
 * Exactly once, proved: the services run in a child process that is SIGKILLed at random
 * moments while it signs and sends, more than fifty times, and started again each time. In the
 * end every outcome it ever reported signed has reached the hub exactly once (counted on the
 * hub), and the hub holds nothing the desk did not sign.
 */
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { FaultPlan } from '../../electron/hub/faults';
import { seededRandom } from '../../electron/hub/generator/random';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { DESK_IDENTIFIER_SYSTEM } from '../../electron/services/fhir/codes';
import { tempDir } from '../support/temp-dir';
import { startTsxChild } from '../support/tsx-child';
import { openCacheFile } from '../support/cache-file';

const CHILD = resolve(__dirname, '../support/outcome-child.ts');
const KILLS = 55;
let hub: DemoHub;
let dir: ReturnType<typeof tempDir>;

beforeAll(async () => {
  // Sends take a little while, so kills land in the middle of them as well as between.
  const faults = new FaultPlan()
    .add({ match: /^POST \/fhir$/, times: 100_000, fault: { kind: 'slow', ms: 40 } })
    .add({ match: /^GET \/fhir\/Task\//, times: 100_000, fault: { kind: 'slow', ms: 15 } });
  hub = await startDemoHub({ cases: 120, seed: 17, now: new Date('2026-11-25T12:00:00Z'), faults });
  dir = tempDir('desk-outcomes-killed');
});

afterAll(async () => {
  await hub?.close();
  dir?.remove();
});

interface Run {
  lines: string[];
  exit: Promise<number | null>;
  kill: () => void;
  ready: Promise<void>;
}

function run(): Run {
  const child = startTsxChild(CHILD, [dir.path, hub.baseUrl, DEMO_CONSULTANTS[0].id]);
  const lines: string[] = [];
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? '';
    for (const line of complete) {
      lines.push(line);
      if (line === 'ready') markReady();
    }
  });
  const exit = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  void exit.then(() => markReady());
  return { lines, exit, ready, kill: () => child.kill('SIGKILL') };
}

describe('exactly once, across kills', () => {
  it(`delivers every signed outcome exactly once after ${KILLS} kills`, async () => {
    const random = seededRandom(2026);
    const reported = new Map<string, string>(); // outcomeId -> referralId, as the child said once stored
    let killedMidWork = 0;
    for (let runs = 0; killedMidWork < KILLS && runs < KILLS * 2; runs++) {
      const child = run();
      await child.ready;
      await new Promise((r) => setTimeout(r, random.int(0, 150)));
      child.kill();
      const code = await child.exit;
      if (code === null) killedMidWork += 1;
      for (const line of child.lines) {
        const [word, referralId, outcomeId] = line.split(' ');
        if (word === 'signed' && referralId && outcomeId) reported.set(outcomeId, referralId);
      }
    }
    const last = run();
    expect(await last.exit).toBe(0);
    expect(last.lines.at(-1)).toBe('done');
    expect(killedMidWork).toBe(KILLS);
    // Kills fell among the signatures, not only after them.
    expect(new Set([...reported.values()]).size).toBeGreaterThan(KILLS / 2);

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
  }, 300_000); // some sixty child processes, each started and killed
});
