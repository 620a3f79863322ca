/**
 * App lifecycle and the window. The services do the work; this file only wires them to
 * Electron: the window's security settings, the IPC handlers and the tile scheme.
 */
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { join } from 'node:path';
import { startDemoHub, type DemoHub } from './hub/demo-hub';
import { DESK_CLIENT_ID } from './hub/hub-auth';
import { registerIpc, sendEvent } from './ipc';
import { declareTileScheme, serveTiles, TILE_BASE_URL } from './protocol';
import { openDesk, type Desk } from './services/desk';
import { DEMO_CONSULTANTS } from './hub/generator/referral-cases';
import { safeStorageKeyWrap } from './safe-storage-wrap';
import { configuredFhirBaseUrl, configuredLockAfterMs, configuredPlainTextKeyAllowed, configuredRetentionDays, configuredService, configuredReviewer } from './services/settings';
import { isAllowedExternalLink, SECURE_WEB_PREFERENCES } from './window-policy';

const SYNC_INTERVAL_MS = 5 * 60 * 1000;

declareTileScheme();

// One desk per profile: a second one would open the same cache and could set it aside as unreadable.
if (!app.requestSingleInstanceLock()) app.quit();

let hub: DemoHub | null = null;
let desk: Desk | null = null;

async function start(): Promise<void> {
  // Nothing the renderer asks for needs a permission: refuse them all.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  // No protected place for the cache key, no patient data on this disk: refuse before anything is fetched.
  const keyWrap = safeStorageKeyWrap(configuredPlainTextKeyAllowed(process.argv, process.env));
  if ('refused' in keyWrap) throw new Error(keyWrap.refused);

  const serverUrl = configuredFhirBaseUrl(process.argv, process.env);
  const service = configuredService(process.argv, process.env);
  // A shared server holds every specialty's work: without knowing whose is ours, take nothing.
  if (serverUrl && !service) throw new Error('Say which service this desk reviews for: DESK_SERVICE=HealthcareService/<id> (or --service=…).');
  if (!serverUrl) hub = await startDemoHub();
  const source = serverUrl && service
    ? { kind: 'server' as const, url: serverUrl, service }
    : { kind: 'demo' as const, url: hub!.baseUrl, service: service ?? hub!.service };

  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    show: false,
    title: 'Derm Review Desk',
    backgroundColor: '#10161d',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: join(__dirname, '../preload/preload.js') },
  });
  // Screen capture and sharing see a blank window where the OS allows it (Windows, macOS).
  window.setContentProtection(true);
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  // No new windows, ever; an allowed https link opens in the system browser instead.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.once('ready-to-show', () => window.show());

  // In the demo the desk is the hub's first consultant; a real server needs DESK_PRACTITIONER_ID.
  const reviewer = configuredReviewer(process.env) ?? (hub ? { practitionerId: DEMO_CONSULTANTS[0].id } : null);
  desk = openDesk({
    dataDir: app.getPath('userData'),
    keyWrap,
    // A keyring still locked or a Keychain prompt refused may work next time: ask before replacing the cache.
    confirmCacheReset: (reason, unsent) =>
      dialog.showMessageBoxSync({
        type: 'warning',
        buttons: ['Quit and try again later', 'Start a fresh cache'],
        defaultId: 0,
        cancelId: 0,
        message: 'The desk cannot open its encrypted cache.',
        detail: `${reason}. ${unsent ? `${unsent} signed outcome(s) in it have not reached the GP yet. ` : ''}If the key store (keyring, Keychain) is only locked, quit, unlock it and start the desk again. A fresh cache keeps the old one aside, still encrypted.`,
      }) === 1,
    // Sign-in happens in the consultant's own browser; the server answers on a loopback port.
    signIn: { clientId: process.env.DESK_OAUTH_CLIENT_ID?.trim() || DESK_CLIENT_ID, loginHint: reviewer?.practitionerId, openBrowser: (url) => shell.openExternal(url) },
    source,
    tileBaseUrl: TILE_BASE_URL,
    reviewer,
    onEvent: (name, payload) => sendEvent(window, name, payload),
    lockAfterMs: configuredLockAfterMs(process.argv, process.env),
    retentionDays: configuredRetentionDays(process.argv, process.env),
    // Somewhere the consultant can find and hand on, never inside the app's own data.
    teachingExportDir: join(app.getPath('documents'), 'Derm Review Desk teaching export'),
  });
  serveTiles(desk.readTile);
  registerIpc(desk.handlers, window);

  if (process.env.ELECTRON_RENDERER_URL) await window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else await window.loadFile(join(__dirname, '../renderer/index.html'));

  void desk.sync();
  setInterval(() => void desk?.sync(), SYNC_INTERVAL_MS).unref();
}

app
  .whenReady()
  .then(start)
  .catch((err: unknown) => {
    dialog.showErrorBox('Derm Review Desk could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
  });

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!desk && !hub) return;
  event.preventDefault();
  const closing: Promise<void>[] = [];
  if (desk) closing.push(desk.close());
  if (hub) closing.push(hub.close());
  desk = null;
  hub = null;
  void Promise.allSettled(closing).then(() => app.quit());
});
