import { describe, expect, it } from 'vitest';
import { actionForKey, KEYMAP } from '../../shared/keymap';

describe('keymap', () => {
  it('gives every key at most one action per scope', () => {
    const seen = new Map<string, string>();
    for (const binding of KEYMAP) {
      for (const key of binding.keys) {
        const slot = `${binding.scope}:${key}`;
        expect(seen.get(slot), `${slot} bound twice`).toBeUndefined();
        seen.set(slot, binding.action);
      }
    }
  });

  it.each([
    ['queue', 'j', 'queue.next'],
    ['queue', 'ArrowUp', 'queue.previous'],
    ['queue', 'Enter', 'queue.open'],
    ['case', 'Escape', 'case.back'],
    ['case', ']', 'case.nextImage'],
    ['case', 'j', undefined],
  ] as const)('in %s, %s means %s', (scope, key, action) => {
    expect(actionForKey(scope, key)).toBe(action);
  });
});
