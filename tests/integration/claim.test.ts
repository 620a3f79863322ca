/**
 * Claiming a review against the demo hub: If-Match on the Task, colleagues, races, gone tasks.
 */
import type { Task } from '@medplum/fhirtypes';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { AnswerGate, FaultPlan } from '../../electron/hub/faults';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { openDesk, type Desk } from '../../electron/services/desk';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { TEST_KEY_WRAP } from '../support/test-key-wrap';
import { signInAs } from '../support/test-sign-in';

const [ME, COLLEAGUE] = DEMO_CONSULTANTS;
let hub: DemoHub;
let faults: FaultPlan;
const opened: { desk: Desk; dir: ReturnType<typeof tempDir> }[] = [];

async function deskAs(practitionerId: string): Promise<Desk> {
  const dir = tempDir('desk-claim');
  const desk = openDesk({
    keyWrap: TEST_KEY_WRAP,
    signIn: signInAs(practitionerId),
    dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x',
    prefetchCases: 0, reviewer: { practitionerId }, fhir: { timeoutMs: UNHURRIED_MS, retry: { maxAttempts: 2, baseDelayMs: 10 } },
  });
  opened.push({ desk, dir });
  await desk.sync();
  return desk;
}

const taskOnHub = async (id: string): Promise<Task> =>
  (await (await fetch(`${hub.baseUrl}/Task/${id}`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as Task;
const puts = (): string[] => hub.requests.filter((r) => r.startsWith('PUT '));

beforeEach(async () => {
  faults = new FaultPlan();
  hub = await startDemoHub({ cases: 20, seed: 6, now: new Date('2026-11-25T12:00:00Z'), faults });
});

afterEach(async () => {
  for (const { desk, dir } of opened.splice(0)) {
    await desk.close();
    dir.remove();
  }
  await hub.close();
});

describe('claiming a review when a case opens', () => {
  it('claims an unheld review with If-Match, and shows it as mine in the queue', async () => {
    const desk = await deskAs(ME.id);
    expect(await desk.handlers['case.claim']({ referralId: 'ref-0001' })).toEqual({ state: 'mine' });
    const task = await taskOnHub('task-0001');
    expect(task.status).toBe('in-progress');
    expect(task.owner?.reference).toBe(`Practitioner/${ME.id}`);
    expect(puts()).toEqual(['PUT /fhir/Task/task-0001']);
    const row = (await desk.handlers['queue.list'](undefined)).find((r) => r.referralId === 'ref-0001');
    expect(row).toMatchObject({ state: 'in-review', heldBy: { practitionerId: ME.id, name: 'Dr Adaeze Okonkwo' } });

    // Opening it again changes nothing on the server.
    expect(await desk.handlers['case.claim']({ referralId: 'ref-0001' })).toEqual({ state: 'mine' });
    expect(puts()).toHaveLength(1);
  });

  it("opens a colleague's case read-only, saying who holds it", async () => {
    const desk = await deskAs(ME.id);
    // Every ninth referral is being reviewed by the second consultant.
    expect(await desk.handlers['case.claim']({ referralId: 'ref-0009' })).toEqual({ state: 'held-by-other', by: 'Dr Tomos Pryce' });
    expect(puts()).toEqual([]);
    expect((await taskOnHub('task-0009')).owner?.reference).toBe(`Practitioner/${COLLEAGUE.id}`);
  });

  it('lets exactly one of two consultants opening the same case at once have it', async () => {
    const [mine, theirs] = [await deskAs(ME.id), await deskAs(COLLEAGUE.id)];
    // Both reads are answered, and their answers held back until both are: both desks see the same version before either writes.
    const gate = new AnswerGate();
    faults.add({ match: /^GET \/fhir\/Task\/task-0002$/, times: 2, fault: { kind: 'held', gate } });
    const claims = Promise.all([mine.handlers['case.claim']({ referralId: 'ref-0002' }), theirs.handlers['case.claim']({ referralId: 'ref-0002' })]);
    await gate.held(2);
    gate.open();
    const results = await claims;
    // Both read version 1 and wrote with If-Match on it; the second write was refused (412), read again, and lost.
    expect(hub.requests.filter((r) => r.includes('task-0002'))).toEqual([
      'GET /fhir/Task/task-0002', 'GET /fhir/Task/task-0002', 'PUT /fhir/Task/task-0002', 'PUT /fhir/Task/task-0002', 'GET /fhir/Task/task-0002',
    ]);
    expect(results.filter((r) => r.state === 'mine')).toHaveLength(1);
    const owner = (await taskOnHub('task-0002')).owner?.reference;
    const loser = results.find((r) => r.state !== 'mine');
    expect(loser).toEqual({ state: 'held-by-other', by: owner === `Practitioner/${ME.id}` ? 'Dr Adaeze Okonkwo' : 'Dr Tomos Pryce' });
  });

  it('marks the referral withdrawn when its task is gone (410)', async () => {
    const desk = await deskAs(ME.id);
    faults.add({ match: /^GET \/fhir\/Task\/task-0003$/, fault: { kind: 'status', status: 410 } });
    const claim = await desk.handlers['case.claim']({ referralId: 'ref-0003' });
    expect(claim).toEqual({ state: 'not-claimed', reason: 'the referral has been withdrawn: its review task is gone from the server' });
    expect((await desk.handlers['queue.list'](undefined)).find((r) => r.referralId === 'ref-0003')?.state).toBe('withdrawn');
  });

  it('does not claim a withdrawn referral', async () => {
    const desk = await deskAs(ME.id);
    expect(await desk.handlers['case.claim']({ referralId: 'ref-0020' })).toEqual({ state: 'not-claimed', reason: 'the referral has been withdrawn by the referrer' });
    expect(puts()).toEqual([]);
  });

  it('opens from the cache, unclaimed, when the server cannot be reached', async () => {
    const desk = await deskAs(ME.id);
    await hub.close();
    const claim = await desk.handlers['case.claim']({ referralId: 'ref-0004' });
    expect(claim.state).toBe('not-claimed');
    expect(claim.state === 'not-claimed' && claim.reason).toMatch(/could not be reached to claim it .*working from the cache/);
    expect((await desk.handlers['case.open']({ referralId: 'ref-0004' })).images.length).toBeGreaterThan(0);
    hub = await startDemoHub({ cases: 1, seed: 6 }); // for afterEach
  });
});
