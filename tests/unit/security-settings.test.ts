/**
 * The Electron checklist as far as it can be checked without Electron: the window's settings,
 * the links it may open, the renderer's Content Security Policy, and the fuses set at packaging.
 * Each would fail if the setting were loosened.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAllowedExternalLink, SECURE_WEB_PREFERENCES } from '../../electron/window-policy';

const root = resolve(__dirname, '../..');

describe('Electron window settings', () => {
  it('sandboxes the renderer, isolates its context and gives it no Node', () => {
    expect(SECURE_WEB_PREFERENCES).toMatchObject({
      sandbox: true, contextIsolation: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false,
      webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
    });
  });

  it('is what the window is made with', () => {
    const main = readFileSync(resolve(root, 'electron/main.ts'), 'utf8');
    expect(main).toMatch(/webPreferences: \{ \.\.\.SECURE_WEB_PREFERENCES, preload:/);
    expect(main).toContain("setPermissionRequestHandler((_contents, _permission, callback) => callback(false))");
    expect(main).toContain('setPermissionCheckHandler(() => false)');
    expect(main).toContain("on('will-navigate', (event) => event.preventDefault())");
    expect(main).toContain('setContentProtection(true)');
  });

  it('keys the cache with safeStorage, and refuses to start before any fetch when the key store is refused', () => {
    const main = readFileSync(resolve(root, 'electron/main.ts'), 'utf8');
    const refusal = main.indexOf("if ('refused' in keyWrap) throw new Error(keyWrap.refused);");
    expect(main).toContain('const keyWrap = safeStorageKeyWrap(configuredPlainTextKeyAllowed(process.argv, process.env));');
    expect(refusal).toBeGreaterThan(0);
    expect(refusal).toBeLessThan(main.indexOf('startDemoHub('));
    expect(refusal).toBeLessThan(main.indexOf('openDesk('));
    const wrap = readFileSync(resolve(root, 'electron/safe-storage-wrap.ts'), 'utf8');
    expect(wrap).toContain('wrap: (secret) => safeStorage.encryptString(secret)');
    expect(wrap).toContain('unwrap: (wrapped) => safeStorage.decryptString(wrapped)');
    expect(wrap).toContain('decideKeyStore(');
    expect(main).toContain('if (!app.requestSingleInstanceLock()) app.quit();');
    // A cache that will not open is replaced only when the consultant chooses to.
    expect(main).toMatch(/confirmCacheReset: \(reason, unsent\) =>\s+dialog\.showMessageBoxSync\(\{[\s\S]*?buttons: \['Quit and try again later', 'Start a fresh cache'\],\s+defaultId: 0,\s+cancelId: 0,[\s\S]*?\}\) === 1,/);
  });

  it.each([
    ['https://www.nhs.uk/conditions/melanoma/', true],
    ['https://www.bad.org.uk/patient-information-leaflets', true],
    ['http://www.nhs.uk/', false],
    ['https://www.nhs.uk.evil.example/', false],
    ['https://user:pass@www.nhs.uk/', false],
    ['https://www.nhs.uk:8443/', false],
    ['javascript:alert(1)', false],
    ['file:///etc/passwd', false],
    ['desk-tile://tiles/x/0/0_0.jpg', false],
    ['not a url', false],
  ])('opens %s outside the desk: %s', (link, allowed) => {
    expect(isAllowedExternalLink(link)).toBe(allowed);
  });
});

describe('renderer Content Security Policy', () => {
  const html = readFileSync(resolve(root, 'renderer/index.html'), 'utf8');
  const policy = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  const directives = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

  it('allows only the app itself to run script, and nothing inline or evaluated', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });
});

describe('packaging fuses (electron-builder.yml)', () => {
  const yml = readFileSync(resolve(root, 'electron-builder.yml'), 'utf8');
  it.each([
    ['runAsNode', 'false'],
    ['enableNodeOptionsEnvironmentVariable', 'false'],
    ['enableNodeCliInspectArguments', 'false'],
    ['enableEmbeddedAsarIntegrityValidation', 'true'],
    ['onlyLoadAppFromAsar', 'true'],
  ])('sets %s to %s', (fuse, value) => {
    expect(yml).toMatch(new RegExp(`^\\s+${fuse}: ${value}$`, 'm'));
  });
});
