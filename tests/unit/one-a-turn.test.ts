import { describe, expect, it } from 'vitest';
import { oneATurn } from '../../electron/services/fhir/one-a-turn';

describe('work that holds the main thread, one piece a turn of the event loop', () => {
  it('runs pieces given together in order, each in a turn of its own: what the first queued runs before the second', async () => {
    const order: string[] = [];
    const first = oneATurn(() => {
      order.push('first');
      setImmediate(() => order.push('served between'));
      return 1;
    });
    const second = oneATurn(() => {
      order.push('second');
      return 2;
    });
    order.push('given');
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(order).toEqual(['given', 'first', 'served between', 'second']);
  });

  it('hands a piece its own failure, and goes on with the next', async () => {
    const failing = oneATurn(() => {
      throw new Error('unreadable page');
    });
    const next = oneATurn(() => 'read');
    await expect(failing).rejects.toThrow('unreadable page');
    await expect(next).resolves.toBe('read');
  });
});
