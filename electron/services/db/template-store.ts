/** The consultant's own outcome templates. A key can be taken only if nothing else uses it. */
import { randomUUID } from 'node:crypto';
import { freeTemplateKeys } from '../../../shared/keymap';
import { outcomeDraftSchema } from '../../../shared/outcome/outcome';
import type { NewUserTemplate, UserTemplate } from '../../../shared/outcome/templates';
import type { Db } from './connection';

export class TemplateRefused extends Error {}

export interface TemplateStore {
  list(): UserTemplate[];
  save(template: NewUserTemplate): UserTemplate;
  remove(id: string): void;
}

export function createTemplateStore(db: Db): TemplateStore {
  const all = db.prepare('SELECT id, name, key, draft FROM user_template ORDER BY name');
  const insert = db.prepare('INSERT INTO user_template (id, name, key, draft, created_at) VALUES (?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM user_template WHERE id = ?');
  const list = (): UserTemplate[] =>
    (all.all() as (Omit<UserTemplate, 'draft'> & { draft: string })[]).map((row) => ({ ...row, draft: outcomeDraftSchema.parse(JSON.parse(row.draft)) }));

  return {
    list,
    save(template) {
      if (!template.draft.kind) throw new TemplateRefused('Choose an outcome before saving it as a template.');
      if (!freeTemplateKeys(list()).includes(template.key)) {
        throw new TemplateRefused(`The key "${template.key}" is already used; choose one of ${freeTemplateKeys(list()).join(', ')}.`);
      }
      const saved = { ...template, id: randomUUID() };
      insert.run(saved.id, saved.name, saved.key, JSON.stringify(saved.draft), new Date().toISOString());
      return saved;
    },
    remove: (id) => void remove.run(id),
  };
}
