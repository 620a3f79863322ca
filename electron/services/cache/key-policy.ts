/**
 * Whether the OS can keep the cache key safe. On Linux without a keyring, Electron's safeStorage
 * falls back to a password written into Chromium itself ("basic_text"): the key would be as good
 * as plain text on the disk, so the desk refuses unless told explicitly, and then says so.
 */

/** What Electron reports about its secret store (getSelectedStorageBackend exists only on Linux). */
export interface KeyStoreReport {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  /** Linux only; elsewhere null. */
  linuxBackend: string | null;
  /** The consultant's IT set --allow-plain-text-key-storage (or DESK_ALLOW_PLAIN_TEXT_KEY=1). */
  plainTextAllowed: boolean;
}

export type KeyStoreDecision =
  | { use: true; backend: string; warning: string | null }
  | { use: false; reason: string };

const PLATFORM_STORES: Partial<Record<NodeJS.Platform, string>> = { darwin: 'keychain', win32: 'dpapi' };

export const PLAIN_TEXT_FLAG = '--allow-plain-text-key-storage';

export function decideKeyStore(report: KeyStoreReport): KeyStoreDecision {
  if (!report.encryptionAvailable) {
    return { use: false, reason: 'The operating system offers no protected key storage, so the desk cannot encrypt its cache of patient data.' };
  }
  if (report.platform !== 'linux') return { use: true, backend: PLATFORM_STORES[report.platform] ?? report.platform, warning: null };
  const backend = report.linuxBackend ?? 'unknown';
  if (backend !== 'basic_text' && backend !== 'unknown') return { use: true, backend, warning: null };
  if (!report.plainTextAllowed) {
    return {
      use: false,
      reason:
        `No keyring was found (Electron reports "${backend}"), so the cache key could only be kept in plain text. ` +
        `Start a keyring (GNOME Keyring or KWallet), or ask IT to start the desk with ${PLAIN_TEXT_FLAG} if the disk itself is encrypted.`,
    };
  }
  return {
    use: true,
    backend,
    warning: 'The cache key is kept without a keyring (plain-text key storage was allowed). Anyone who can read this profile can read the cache.',
  };
}
