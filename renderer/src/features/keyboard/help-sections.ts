/**
 * The list of keys, grouped for reading, from the one keymap: what works everywhere once, then
 * each scope's own, the outcome keys a case and its form share, runs of numbered keys as one
 * line each (1-8 the outcome, Alt+1-3 the urgency), and the keys that differ between the queue
 * and a case. Pure: HelpOverlay draws it.
 */
import { keysDifferingByScope, type KeyBinding, type KeyScope } from '../../../../shared/keymap';

export interface HelpRow {
  keys: string[];
  label: string;
}
export interface HelpSection {
  title: string;
  rows: HelpRow[];
}

const KEY_NAMES: Record<string, string> = { ArrowLeft: '←', ArrowRight: '→', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' };
/** How a key is written in the list. */
export const keyName = (key: string): string => KEY_NAMES[key] ?? key;

/** Actions listed as one line, with what each key of the run picks after the colon. */
const RUNS: { prefix: string; label: string }[] = [
  { prefix: 'outcome.kind.', label: 'Outcome' },
  { prefix: 'outcome.urgency.', label: 'Urgency' },
  { prefix: 'viewer.pan', label: 'Pan' },
];

function rowsOf(bindings: readonly KeyBinding[]): HelpRow[] {
  const rows: HelpRow[] = [];
  const done = new Set<string>();
  for (const binding of bindings) {
    const run = RUNS.find((r) => binding.action.startsWith(r.prefix));
    if (!run) {
      rows.push({ keys: binding.keys.map(keyName), label: binding.label });
      continue;
    }
    if (done.has(run.prefix)) continue;
    done.add(run.prefix);
    const members = bindings.filter((b) => b.action.startsWith(run.prefix));
    const keys = members.map((b) => keyName(b.keys[0] ?? ''));
    const long = keys.length > 4;
    // "Outcome: No action" and the like: what follows the run's own word, after its key when the keys are shown as a range.
    const what = (b: KeyBinding): string => b.label.replace(new RegExp(`^${run.label}:?\\s*`, 'i'), '');
    const picks = members.map((b) => (long ? `${keyName(b.keys[0] ?? '')} ${what(b)}` : what(b)));
    rows.push({ keys: long ? [`${keys[0]}–${keys.at(-1)}`] : keys, label: `${run.label}: ${picks.join(' · ')}` });
  }
  return rows;
}

const inAll = (binding: KeyBinding, scopes: readonly KeyScope[]): boolean => scopes.every((s) => binding.scopes.includes(s));

export function helpSections(bindings: readonly KeyBinding[]): HelpSection[] {
  const everywhere = bindings.filter((b) => inAll(b, ['queue', 'case', 'outcome']));
  const rest = bindings.filter((b) => !everywhere.includes(b));
  const only = (scope: KeyScope, not: KeyScope[] = []): KeyBinding[] => rest.filter((b) => b.scopes.includes(scope) && !not.some((n) => b.scopes.includes(n)));
  const differing = keysDifferingByScope(bindings);
  return [
    { title: 'Everywhere', rows: rowsOf(everywhere) },
    { title: 'In the queue', rows: rowsOf(only('queue')) },
    { title: 'In a case', rows: rowsOf(only('case', ['outcome'])) },
    { title: 'Deciding: in a case or in the outcome form', rows: rowsOf(rest.filter((b) => inAll(b, ['case', 'outcome']))) },
    { title: 'In the outcome form', rows: [...rowsOf(only('outcome', ['case'])), { keys: ['Enter'], label: 'In a field: pick the suggestion, or move to the next field (never signs)' }] },
    { title: 'In the command palette (Ctrl+K)', rows: rowsOf(only('palette')) },
    {
      title: 'Keys that differ between the queue and a case',
      rows: differing.map((d) => ({ keys: [keyName(d.key)], label: `Queue: ${d.queue}. Case: ${d.case}.` })),
    },
  ].filter((section) => section.rows.length > 0);
}
