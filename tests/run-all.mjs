// `npm test`: typecheck, lint, build the app, then every vitest suite (unit, integration,
// end-to-end in Chromium), then the Electron launch test. Ends with one line
// "N passed, N failed" counting checks and tests together.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(join(root, 'package.json'));
const reportDir = join(root, 'node_modules', '.cache', 'test-reports');
rmSync(reportDir, { recursive: true, force: true });
mkdirSync(reportDir, { recursive: true });

let passed = 0;
let failed = 0;

function run(label, command, args, env = {}) {
  console.log(`\n── ${label}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(label, command, args) {
  const ok = run(label, command, args);
  if (ok) passed += 1;
  else failed += 1;
  console.log(`── ${label}: ${ok ? 'passed' : 'FAILED'}`);
}

function vitest(label, projectArgs, reportName) {
  const report = join(reportDir, `${reportName}.json`);
  const ok = run(label, 'npx', ['vitest', 'run', '--config', 'tests/vitest.config.mts', ...projectArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (!existsSync(report)) {
    // vitest could not even start: count that as one failure rather than none.
    failed += 1;
    console.log(`── ${label}: no report written`);
    return;
  }
  const summary = JSON.parse(readFileSync(report, 'utf8'));
  // A test file that fails before any test runs (an import error, a failing hook) is a failure too.
  const brokenFiles = (summary.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  passed += summary.numPassedTests;
  failed += summary.numFailedTests + brokenFiles;
  if (!ok && summary.numFailedTests + brokenFiles === 0) failed += 1;
}

// better-sqlite3-multiple-ciphers is a native module: `npm start` rebuilds it for Electron, tests need it for Node.
function sqliteLoadsInNode() {
  try {
    const Database = require('better-sqlite3-multiple-ciphers');
    new Database(':memory:').close();
    return true;
  } catch {
    return false;
  }
}
if (!sqliteLoadsInNode()) run('rebuild better-sqlite3-multiple-ciphers for Node', 'npm', ['rebuild', 'better-sqlite3-multiple-ciphers']);

check('typecheck', 'npx', ['tsc', '-b']);
check('lint', 'npx', ['eslint', '.']);
check('build', 'npx', ['electron-vite', 'build']);
vitest('unit, integration and browser end-to-end tests', ['--project', 'unit', '--project', 'integration', '--project', 'e2e'], 'vitest');

// The launch test needs better-sqlite3-multiple-ciphers built for Electron's ABI, and the Node build back after.
function electronBinary() {
  try {
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}
if (electronBinary()) {
  run('rebuild native modules for Electron', 'npx', ['electron-builder', 'install-app-deps']);
  vitest('Electron launch test', ['--project', 'electron'], 'electron');
  run('rebuild better-sqlite3-multiple-ciphers for Node', 'npm', ['rebuild', 'better-sqlite3-multiple-ciphers']);
} else {
  vitest('Electron launch test', ['--project', 'electron'], 'electron');
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
