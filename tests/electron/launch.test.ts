/**
 * The real Electron app starts, shows the demo queue, opens a case and draws a tile. Runs only
 * where an Electron binary exists (our build machines cannot download it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BROWSER_WAIT_MS } from '../support/unhurried';

function electronBinary(): string | null {
  try {
    const path: unknown = createRequire(__filename)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) console.log('skipped: no Electron binary');

describe('Electron app', () => {
  it.skipIf(!binary)('launches sandboxed, lists the demo queue and draws a tile of the first case', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'desk-electron-'));
    const app = await _electron.launch({
      executablePath: binary!,
      args: [resolve(__dirname, '../../out/main/main.js'), `--user-data-dir=${userData}`],
      timeout: BROWSER_WAIT_MS,
    });
    try {
      const window = await app.firstWindow({ timeout: BROWSER_WAIT_MS });
      window.setDefaultTimeout(BROWSER_WAIT_MS);
      await expect.poll(() => window.locator('table.queue tbody tr').count()).toBeGreaterThan(0);
      const isolated = await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require === 'undefined');
      expect(isolated).toBe(true);
      await window.keyboard.press('Enter');
      await expect.poll(async () => Number(await window.locator('.viewer-canvas').getAttribute('data-tiles-drawn'))).toBeGreaterThan(0);
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
