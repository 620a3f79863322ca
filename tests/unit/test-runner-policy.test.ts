/**
 * The runner's own rules for a suite that cannot flake: no test is retried (a test that fails by
 * chance is fixed at its cause), and every wait for a state has nearly the whole test's time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../vitest.config.mjs';
import { waitWithin } from '../support/unhurried';

const root = resolve(__dirname, '../..');
const projects = (config.test?.projects ?? []) as { test: { name: string; retry?: unknown; testTimeout?: number; expect?: { poll?: { timeout?: number } } } }[];

describe('the test runner', () => {
  it('has the four projects npm test runs', () => {
    expect(projects.map((p) => p.test.name)).toEqual(['unit', 'integration', 'e2e', 'electron']);
  });

  it.each(['unit', 'integration', 'e2e', 'electron'])('retries nothing in %s, and polls for all but the last ten seconds of a test', (name) => {
    const project = projects.find((p) => p.test.name === name)!.test;
    expect(project.retry).toBe(0);
    expect(project.testTimeout).toBeGreaterThanOrEqual(60_000);
    expect(project.expect?.poll?.timeout).toBe(waitWithin(project.testTimeout!));
  });

  it('is started without retries by npm test and CI, and no test asks for one', () => {
    const tests = readdirSync(resolve(root, 'tests'), { recursive: true, encoding: 'utf8' }).filter((file) => /\.(ts|mts|mjs)$/.test(file)).map((file) => `tests/${file}`);
    const files = ['.ci/run', 'package.json', ...tests.filter((file) => file !== 'tests/unit/test-runner-policy.test.ts')];
    expect(files).toContain('tests/run-all.mjs');
    // A retry given as a flag, an option (\`{ retry: 2 }\`, also in JSON) or a call; the FHIR client's own retry policy is an object.
    const retried = files.filter((file) => /--retry|"?retry"?\s*:\s*[1-9]|\.retry\(/.test(readFileSync(resolve(root, file), 'utf8')));
    expect(retried).toEqual([]);
  });
});
