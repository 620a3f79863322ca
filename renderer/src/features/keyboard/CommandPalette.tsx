/**
 * Ctrl+K: every action that can run now, found by typing part of its name. Lists what the keys
 * would do (from the one keymap) and shows each action's keys, so it also teaches them.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { actionForKey, chordOf } from '../../../../shared/keymap';
import { useDesk } from '../../store/desk-store';
import { activeCommands, matchCommands, type Command } from './active-commands';

export function CommandPalette(): React.JSX.Element | null {
  const open = useDesk((s) => s.paletteOpen);
  if (!open) return null;
  return <PaletteDialog />;
}

function PaletteDialog(): React.JSX.Element {
  // Taken once as the palette opens: the actions of the screen it was opened over.
  const [commands] = useState<Command[]>(activeCommands);
  const [query, setQuery] = useState('');
  const [chosen, setChosen] = useState(0);
  const field = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => matchCommands(commands, query), [commands, query]);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    field.current?.focus();
    return () => before?.focus();
  }, []);

  const close = (): void => useDesk.setState({ paletteOpen: false });
  const run = (command: Command | undefined): void => {
    if (!command) return;
    close();
    // After the palette has gone and focus is back where it was, as if the key had been pressed there.
    queueMicrotask(command.run);
  };

  const onKeyDown = (event: React.KeyboardEvent): void => {
    const action = actionForKey('palette', chordOf(event));
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    if (action === 'palette.close') close();
    else if (action === 'palette.run') run(matches[chosen]);
    else if (action === 'palette.next') setChosen((i) => Math.min(i + 1, matches.length - 1));
    else if (action === 'palette.previous') setChosen((i) => Math.max(i - 1, 0));
  };

  return (
    <div className="help-backdrop" onClick={close}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette" data-keyscope="palette" onClick={(e) => e.stopPropagation()}>
        <input
          ref={field}
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls="palette-list"
          aria-activedescendant={matches[chosen] ? `palette-${matches[chosen].action}` : undefined}
          placeholder="Type to find an action…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setChosen(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul id="palette-list" role="listbox" aria-label="Actions">
          {matches.map((c, index) => (
            <li
              key={c.action}
              id={`palette-${c.action}`}
              role="option"
              aria-selected={index === chosen}
              className={index === chosen ? 'chosen' : undefined}
              onMouseEnter={() => setChosen(index)}
              onClick={() => run(c)}
            >
              <span>{c.label}</span>
              <span className="keys">{c.keys.map((k) => <kbd key={k}>{k}</kbd>)}</span>
            </li>
          ))}
          {matches.length === 0 && <li className="none">No action matches “{query}”.</li>}
        </ul>
      </div>
    </div>
  );
}
