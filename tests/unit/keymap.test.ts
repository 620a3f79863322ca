import { describe, expect, it } from 'vitest';
import { actionForKey, chordOf, freeTemplateKeys, KEYMAP, keysDifferingByScope, templateKeyClashes, userTemplateBindings, type KeyScope } from '../../shared/keymap';
import { OUTCOME_KINDS } from '../../shared/outcome/outcome-kinds';
import { BUILT_IN_TEMPLATES } from '../../shared/outcome/templates';

describe('keymap', () => {
  it('gives every key at most one action per scope', () => {
    const seen = new Map<string, string>();
    for (const binding of KEYMAP) {
      for (const scope of binding.scopes) {
        for (const key of binding.keys) {
          const slot = `${scope}:${key}`;
          expect(seen.get(slot), `${slot} bound to ${seen.get(slot)} and ${binding.action}`).toBeUndefined();
          seen.set(slot, binding.action);
        }
      }
    }
  });

  it('says which keys do one thing in the queue and another over a case (the list of keys shows them)', () => {
    const differing = keysDifferingByScope();
    expect(differing.map((d) => d.key).sort()).toEqual(['ArrowDown', 'ArrowUp', 'd']);
    const d = differing.find((entry) => entry.key === 'd');
    expect(d?.queue).toMatch(/overdue/);
    expect(d?.case).toMatch(/Template/);
    // A template of the consultant's own on a letter the queue uses is said too.
    const own = userTemplateBindings([{ id: '2b9c1a2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Seb K', key: 's', draft: { kind: 'no-action', diagnosisCode: null, fields: {} } }]);
    expect(keysDifferingByScope([...KEYMAP, ...own]).find((entry) => entry.key === 's')).toEqual({ key: 's', queue: 'Sync with the server now', case: 'Your template: Seb K' });
    // Every other letter bound in both means the same step in both.
    for (const key of 'abcdefghijklmnopqrstuvwxyz') {
      const [inQueue, overCase] = [actionForKey('queue', key), actionForKey('case', key)];
      if (inQueue && overCase && key !== 'd') expect([inQueue, overCase]).toEqual([`queue.${overCase === 'case.nextCase' ? 'next' : 'previous'}`, overCase]);
    }
  });

  it('takes the outcome kinds and templates from their own tables', () => {
    for (const kind of OUTCOME_KINDS) expect(KEYMAP.some((b) => b.action === `outcome.kind.${kind}`)).toBe(true);
    for (const t of BUILT_IN_TEMPLATES) expect(actionForKey('case', t.key)).toBe(`outcome.template.${t.id}`);
  });

  it.each([
    ['queue', 'j', 'queue.next'],
    ['queue', 'ArrowUp', 'queue.previous'],
    ['queue', 'Enter', 'queue.open'],
    ['case', 'Escape', 'case.back'],
    ['outcome', 'Escape', 'outcome.leave'],
    ['case', ']', 'case.nextImage'],
    ['case', 'j', 'case.nextCase'],
    ['case', 'e', 'case.exportForTeaching'],
    ['queue', 'e', undefined],
    ['outcome', 'j', undefined],
    ['outcome', '4', 'outcome.kind.clinic'],
    // Outcome and urgency chords work anywhere in a case, not only in the form; the viewer keeps its own.
    ['case', '4', 'outcome.kind.clinic'],
    ['case', '1', 'outcome.kind.no-action'],
    ['case', 'z', 'viewer.actualPixels'],
    ['case', '0', 'viewer.fit'],
    ['outcome', 'Alt+1', 'outcome.urgency.two-week'],
    ['case', 'Alt+3', 'outcome.urgency.routine'],
    ['case', 'q', 'case.questionnaire'],
    ['case', 'C', 'case.consents'],
    ['queue', 'd', 'queue.filterOverdue'],
    ['queue', 'o', undefined],
    ['case', 'Ctrl+Enter', 'outcome.sign'],
    ['outcome', 'Ctrl+Enter', 'outcome.sign'],
    ['queue', 'Ctrl+Enter', undefined],
  ] as const)('in %s, %s means %s', (scope: KeyScope, chord, action) => {
    expect(actionForKey(scope, chord)).toBe(action);
  });

  it.each([
    [{ key: 'Enter', ctrlKey: true, altKey: false, metaKey: false }, 'Ctrl+Enter'],
    [{ key: 'Enter', ctrlKey: false, altKey: false, metaKey: true }, 'Ctrl+Enter'],
    [{ key: 'U', ctrlKey: false, altKey: true, metaKey: false }, 'Alt+u'],
    [{ key: 'P', ctrlKey: false, altKey: false, metaKey: false }, 'P'],
  ])('writes %o as %s', (event, chord) => {
    expect(chordOf(event)).toBe(chord);
  });

  it('offers a template only letters free over a case and in the form', () => {
    const free = freeTemplateKeys([]);
    for (const taken of ['n', 'l', 'a', 'b', 'm', 'd', 'o', 'e', 'q', 'z']) expect(free).not.toContain(taken);
    expect(free).toContain('w');
    const mine = { id: '0b9c1a2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Seb K', key: 'w', draft: { kind: 'no-action' as const, diagnosisCode: null, fields: {} } };
    expect(freeTemplateKeys([mine])).not.toContain('w');
    expect(actionForKey('case', 'w', userTemplateBindings([mine]))).toBe(`outcome.template.${mine.id}`);
    expect(actionForKey('case', 'w')).toBeUndefined();
  });

  it("lets the desk's own key win over a template saved on it before the desk took it", () => {
    const old = { id: '1b9c1a2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d', name: 'Compare-era', key: 'c', draft: { kind: 'no-action' as const, diagnosisCode: null, fields: {} } };
    expect(templateKeyClashes(old)).toBe(true);
    expect(userTemplateBindings([old])).toEqual([]);
    expect(actionForKey('case', 'c', userTemplateBindings([old]))).toBe('viewer.compare');
    expect(freeTemplateKeys([])).not.toContain('c');
    expect(freeTemplateKeys([])).not.toContain('p');
  });
});
