/**
 * The hazard log names the test that proves each control. This keeps it honest: every test
 * file it names exists, and every test title it quotes is in that file, so renaming or removing
 * a proving test fails the build until the log is brought up to date.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const LOG = resolve(__dirname, '../../docs/clinical-safety/hazard-log.md');
const TESTS = resolve(__dirname, '..');

/** Each "Tests:" paragraph, joined into one line. */
function testParagraphs(markdown: string): { hazard: string; text: string }[] {
  const found: { hazard: string; text: string }[] = [];
  let hazard = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith('## ')) hazard = line.slice(3, 6).trim();
    if (!line.startsWith('- **Tests:**')) continue;
    let text = line;
    while (i + 1 < lines.length && /^\s{2,}\S/.test(lines[i + 1] as string)) text += ` ${(lines[++i] as string).trim()}`;
    found.push({ hazard, text });
  }
  return found;
}

/** `dir/file` references, each with the test titles quoted after it. */
function references(text: string): { file: string; titles: string[] }[] {
  return [...text.matchAll(/`((?:unit|integration|e2e)\/[a-z-]+)`([^`]*)/g)].map(([, file, rest]) => ({
    file: file as string,
    titles: [...(rest ?? '').matchAll(/"([^"]+)"/g)].map(([, title]) => (title as string).split('…')[0]!.trim()).filter(Boolean),
  }));
}

describe('hazard log', () => {
  const paragraphs = testParagraphs(readFileSync(LOG, 'utf8'));

  it('gives every hazard the tests that prove its controls', () => {
    const hazards = [...readFileSync(LOG, 'utf8').matchAll(/^## (H\d+) /gm)].map(([, id]) => id);
    expect(hazards.length).toBeGreaterThanOrEqual(10);
    for (const id of hazards) expect(paragraphs.some((p) => p.hazard === id && references(p.text).length > 0), id).toBe(true);
  });

  it('names only tests that exist, by file and by title', () => {
    let checked = 0;
    for (const { hazard, text } of paragraphs) {
      for (const { file, titles } of references(text)) {
        const path = resolve(TESTS, `${file}.test.ts`);
        expect(existsSync(path), `${hazard}: ${file}`).toBe(true);
        const source = readFileSync(path, 'utf8');
        for (const title of titles) {
          expect(source.includes(title), `${hazard}: "${title}" in ${file}`).toBe(true);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});
