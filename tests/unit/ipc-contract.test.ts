import { describe, expect, it } from 'vitest';
import { requestNames, type DeskHandlers } from '../../shared/ipc/contract';
import { ContractError, dispatch } from '../../shared/ipc/dispatch';

/** Handlers that record what reached them; the contract decides what may. */
function recordingHandlers(calls: unknown[][]): DeskHandlers {
  return Object.fromEntries(
    requestNames.map((name) => [name, async (payload: unknown) => { calls.push([name, payload]); return name; }]),
  ) as unknown as DeskHandlers;
}

describe('IPC dispatch', () => {
  it('passes a valid request to its handler', async () => {
    const calls: unknown[][] = [];
    await expect(dispatch(recordingHandlers(calls), 'case.open', { referralId: 'ref-0001' })).resolves.toBe('case.open');
    expect(calls).toEqual([['case.open', { referralId: 'ref-0001' }]]);
  });

  it.each([
    ['unknown name', 'fs.readFile', { path: '/etc/passwd' }],
    ['prototype name', '__proto__', undefined],
    ['non-string name', 42, undefined],
    ['missing payload', 'case.open', undefined],
    ['wrong payload type', 'case.open', 'ref-0001'],
    ['extra payload field', 'case.open', { referralId: 'ref-0001', sql: 'DROP TABLE referral' }],
    ['id with a path in it', 'image.pyramid', { imageId: '../../etc/passwd' }],
    ['overlong id', 'image.pyramid', { imageId: 'x'.repeat(65) }],
    ['payload where none is taken', 'queue.list', { all: true }],
    ['teaching export naming a folder', 'teaching.export', { referralId: 'ref-0001', imageIds: ['media-0001-1'], folder: '/etc' }],
    ['teaching export of a path', 'teaching.export', { referralId: 'ref-0001', imageIds: ['../../home'] }],
    ['teaching export of too many images', 'teaching.export', { referralId: 'ref-0001', imageIds: Array.from({ length: 17 }, (_, i) => `media-${i}`) }],
  ])('refuses %s before any handler runs', async (_why, name, payload) => {
    const calls: unknown[][] = [];
    await expect(dispatch(recordingHandlers(calls), name, payload)).rejects.toBeInstanceOf(ContractError);
    expect(calls).toEqual([]);
  });
});

describe('errors from the cache, in plain words', () => {
  it.each([
    ['SQLITE_CORRUPT', /file may be damaged\. Close the desk and open it again/],
    ['SQLITE_CORRUPT_INDEX', /file may be damaged/],
    ['SQLITE_NOTADB', /file may be damaged/],
    ['SQLITE_IOERR_SHORT_READ', /file may be damaged/],
    ['SQLITE_FULL', /^The disk is full/],
    ['SQLITE_BUSY', /busy saving something else/],
  ])('%s: never SQLite’s own message', async (code, says) => {
    const failing = Object.assign(new Error('database disk image is malformed'), { code });
    const handlers = { 'sync.problems': async () => { throw failing; } } as unknown as DeskHandlers;
    const err = await dispatch(handlers, 'sync.problems', undefined).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(says);
    expect(err?.message).not.toMatch(/malformed|SQLITE/);
    expect(err?.cause).toBe(failing);
  });

  it('leaves a refusal the program raised itself (a trigger, a constraint) in its own words', async () => {
    const refused = Object.assign(new Error('no room for patients'), { code: 'SQLITE_CONSTRAINT_TRIGGER' });
    const handlers = { 'sync.problems': async () => { throw refused; } } as unknown as DeskHandlers;
    await expect(dispatch(handlers, 'sync.problems', undefined)).rejects.toBe(refused);
  });

  it('leaves every other error as it is', async () => {
    const refused = new Error('Too late to undo');
    const handlers = { 'sync.problems': async () => { throw refused; } } as unknown as DeskHandlers;
    await expect(dispatch(handlers, 'sync.problems', undefined)).rejects.toBe(refused);
  });
});
