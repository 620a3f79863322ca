/**
 * The lint rules that stand for safety controls, run through ESLint with the
 * project's own configuration on a renderer file, so a loosened config turns the build red.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
// An existing renderer file, so the type-aware rules find it in the project; its text is replaced.
const rendererFile = resolve(root, 'renderer/src/app/DeskNotices.tsx');

async function problems(code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: rendererFile });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('lint rules for the renderer', () => {
  it('forbids dangerouslySetInnerHTML', async () => {
    const code = `export function Reason({ text }: { text: string }): React.JSX.Element {\n  return <p dangerouslySetInnerHTML={{ __html: text }} />;\n}\n`;
    expect(await problems(code)).toContain('no-restricted-syntax: Render text, never HTML.');
  });

  it('lets the same text through as text', async () => {
    const code = `export function Reason({ text }: { text: string }): React.JSX.Element {\n  return <p>{text}</p>;\n}\n`;
    expect(await problems(code)).toEqual([]);
  });
});
