import { describe, expect, it } from 'vitest';
import { fewAtATime } from '../../electron/services/sync/few-at-a-time';

/** A task that waits until released, noting how many run at once. */
function gate(log: { running: number; most: number; started: number[] }, index: number) {
  let release!: (err?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    release = (err) => (err ? reject(err) : resolve());
  });
  const task = async (): Promise<void> => {
    log.started.push(index);
    log.running += 1;
    log.most = Math.max(log.most, log.running);
    try {
      await done;
    } finally {
      log.running -= 1;
    }
  };
  return { task, release };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('fewAtATime', () => {
  it.each([1, 2, 4])('runs every task, never more than %i at once', async (limit) => {
    const log = { running: 0, most: 0, started: [] as number[] };
    const gates = Array.from({ length: 7 }, (_, i) => gate(log, i));
    const all = fewAtATime(gates.map((g) => g.task), limit);
    for (const g of gates) {
      await turn();
      g.release();
    }
    await all;
    expect(log.started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(log.most).toBe(limit);
  });

  it('throws the first failure only after the tasks started have settled, and starts no more', async () => {
    const log = { running: 0, most: 0, started: [] as number[] };
    const gates = Array.from({ length: 6 }, (_, i) => gate(log, i));
    let settled = false;
    const all = fewAtATime(gates.map((g) => g.task), 2).finally(() => {
      settled = true;
    });
    await turn();
    (gates[0] as { release: (err?: Error) => void }).release(new Error('the first search failed'));
    await turn();
    expect(settled).toBe(false); // the second is still running
    expect(log.running).toBe(1);
    (gates[1] as { release: (err?: Error) => void }).release();
    await expect(all).rejects.toThrow('the first search failed');
    expect(log.started).toEqual([0, 1]);
  });

  it('does nothing for no tasks', async () => {
    await expect(fewAtATime([])).resolves.toBeUndefined();
  });
});
