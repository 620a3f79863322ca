/** Every key the desk knows, listed from the one keymap (and the consultant's own templates). */
import { useEffect, useRef } from 'react';
import { KEYMAP, userTemplateBindings, type KeyBinding, type KeyScope } from '../../../../shared/keymap';
import { useDesk } from '../../store/desk-store';
import { useOutcome } from '../../store/outcome-store';
import { useKeymap } from './useKeymap';

const SCOPE_TITLES: Record<Exclude<KeyScope, 'help'>, string> = {
  queue: 'In the queue',
  case: 'In a case',
  outcome: 'In the outcome form',
  palette: 'In the command palette (Ctrl+K)',
};

export function HelpOverlay(): React.JSX.Element | null {
  const open = useDesk((s) => s.helpOpen);
  const own = useOutcome((s) => s.userTemplates);
  const dialog = useRef<HTMLDivElement>(null);
  const close = (): void => useDesk.setState({ helpOpen: false });
  useKeymap('help', { 'help.close': close }, null);

  useEffect(() => {
    if (!open) return;
    // Focus moves into the list, so its keys (Esc, ?) are the ones that count; it returns after.
    const before = document.activeElement as HTMLElement | null;
    dialog.current?.focus();
    return () => before?.focus();
  }, [open]);

  if (!open) return null;
  const bindings: KeyBinding[] = [...KEYMAP, ...userTemplateBindings(own)];
  return (
    <div className="help-backdrop">
      <div ref={dialog} className="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" tabIndex={-1} data-keyscope="help">
        <h2>Keys</h2>
        {(Object.keys(SCOPE_TITLES) as (keyof typeof SCOPE_TITLES)[]).map((scope) => (
          <section key={scope}>
            <h3>{SCOPE_TITLES[scope]}</h3>
            <dl>
              {bindings
                .filter((b) => b.scopes.includes(scope))
                .map((b) => (
                  <div key={`${scope}-${b.action}`}>
                    <dt>
                      {b.keys.map((k) => (
                        <kbd key={k}>{k}</kbd>
                      ))}
                    </dt>
                    <dd>{b.label}</dd>
                  </div>
                ))}
            </dl>
          </section>
        ))}
        <p className="help-close">Esc or ? closes this list.</p>
      </div>
    </div>
  );
}
