/**
 * The actions that can run right now: each mounted useKeymap adds its scope's handlers here, so
 * the command palette offers exactly what the keys would do, with the same handlers.
 */
import { KEYMAP, type KeyAction, type KeyBinding, type KeyScope } from '../../../../shared/keymap';

export type KeyHandlers = Partial<Record<KeyAction, () => void>>;

export interface Command {
  action: KeyAction;
  label: string;
  keys: readonly string[];
  run: () => void;
}

interface Registration {
  scope: KeyScope;
  current: () => { handlers: KeyHandlers; extra: readonly KeyBinding[] };
}

const registered = new Set<Registration>();

export function registerHandlers(registration: Registration): () => void {
  registered.add(registration);
  return () => registered.delete(registration);
}

/** The palette opens itself, and help and the palette's own keys are not commands to run. */
const NOT_COMMANDS: ReadonlySet<KeyScope> = new Set(['help', 'palette']);

/** Every action with a handler in a mounted scope, once each, in keymap order. */
export function activeCommands(): Command[] {
  const commands = new Map<KeyAction, Command>();
  for (const { scope, current } of registered) {
    if (NOT_COMMANDS.has(scope)) continue;
    const { handlers, extra } = current();
    for (const binding of [...KEYMAP, ...extra]) {
      const handler = handlers[binding.action];
      if (!handler || binding.action === 'palette.open' || !binding.scopes.includes(scope) || commands.has(binding.action)) continue;
      commands.set(binding.action, { action: binding.action, label: binding.label, keys: binding.keys, run: handler });
    }
  }
  return [...commands.values()];
}

/** Commands whose label (or key) holds every word typed, in any order. */
export function matchCommands(commands: readonly Command[], query: string): Command[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return commands.filter((c) => {
    const text = `${c.label} ${c.keys.join(' ')}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
