/** Every key the desk knows, listed from the one keymap (and the consultant's own templates). */
import { useEffect, useRef } from 'react';
import { KEYMAP, keysOf, userTemplateBindings } from '../../../../shared/keymap';
import { useDesk } from '../../store/desk-store';
import { useOutcome } from '../../store/outcome-store';
import { helpSections, keyName } from './help-sections';
import { useKeymap } from './useKeymap';

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
  return (
    <div className="help-backdrop">
      <div ref={dialog} className="help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" tabIndex={-1} data-keyscope="help">
        <h2>Keys</h2>
        {helpSections([...KEYMAP, ...userTemplateBindings(own)]).map((section, index) => (
          <section key={section.title} aria-labelledby={`help-section-${index}`}>
            <h3 id={`help-section-${index}`}>{section.title}</h3>
            <dl>
              {section.rows.map((row) => (
                <div key={`${row.keys.join(' ')} ${row.label}`}>
                  <dt>
                    {row.keys.map((k) => (
                      <kbd key={k}>{k}</kbd>
                    ))}
                  </dt>
                  <dd>{row.label}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <p className="help-close">
          {keysOf('help.close').map(keyName).join(' or ')}: {KEYMAP.find((b) => b.action === 'help.close')?.label}. In a text field, letters and numbers type; Ctrl and Alt keys still work.
        </p>
      </div>
    </div>
  );
}
