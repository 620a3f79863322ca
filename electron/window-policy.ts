/**
 * The window's security settings and what it may open, apart from Electron so they are tested:
 * a sandboxed, context-isolated renderer without Node; no navigation; new windows never, and
 * links out only over https to a short allow-list, opened in the system browser.
 */
export const SECURE_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  spellcheck: false,
} as const;

/** Sites a consultant may be sent to from the desk (guidance, not patient data). */
export const EXTERNAL_LINK_HOSTS: readonly string[] = ['www.nhs.uk', 'digital.nhs.uk', 'www.bad.org.uk', 'www.nice.org.uk'];

/** Whether a link may leave the desk for the system browser: https, no credentials, an allowed host. */
export function isAllowedExternalLink(link: string): boolean {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && !url.username && !url.password && url.port === '' && EXTERNAL_LINK_HOSTS.includes(url.hostname);
}
