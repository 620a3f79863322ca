/** Templates: the built-in ones and the consultant's own, each on its key; the draft can be saved as a new one. */
import { useState } from 'react';
import { freeTemplateKeys, templateKeyClashes } from '../../../../shared/keymap';
import { BUILT_IN_TEMPLATES } from '../../../../shared/outcome/templates';
import { useOutcome } from '../../store/outcome-store';

export function TemplatesSection(): React.JSX.Element {
  const own = useOutcome((s) => s.userTemplates);
  const hasKind = useOutcome((s) => s.draft.kind !== null);
  const { saveTemplate, deleteTemplate } = useOutcome.getState();
  const free = freeTemplateKeys(own);
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const chosenKey = free.includes(key) ? key : (free[0] ?? '');

  return (
    <details className="templates">
      <summary>Templates</summary>
      <ul>
        {BUILT_IN_TEMPLATES.map((t) => (
          <li key={t.id}>
            <kbd>{t.key}</kbd> {t.name}
          </li>
        ))}
        {own.map((t) => (
          <li key={t.id} className="own">
            {templateKeyClashes(t) ? <kbd className="clash" title={`The desk now uses ${t.key}; save this template again on a free key`}>no key</kbd> : <kbd>{t.key}</kbd>} {t.name}{' '}
            <button type="button" aria-label={`Delete template ${t.name}`} onClick={() => void deleteTemplate(t.id)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <div className="save-template">
        <label htmlFor="template-name">Save this outcome as your template</label>
        <input id="template-name" value={name} placeholder="Name" onChange={(e) => setName(e.target.value)} />
        <label htmlFor="template-key">on key</label>
        <select id="template-key" value={chosenKey} onChange={(e) => setKey(e.target.value)}>
          {free.map((letter) => (
            <option key={letter} value={letter}>
              {letter}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={!hasKind || name.trim() === '' || !chosenKey}
          onClick={() =>
            void saveTemplate(name.trim(), chosenKey).then((refused) => {
              setMessage(refused ?? `Saved: press ${chosenKey} on any case to use it.`);
              if (!refused) setName('');
            })
          }
        >
          Save template
        </button>
        {message && <p role="status">{message}</p>}
      </div>
    </details>
  );
}
