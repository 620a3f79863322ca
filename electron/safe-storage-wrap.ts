/**
 * The cache key's protection in the app: Electron's safeStorage (Keychain, DPAPI, or a Linux
 * keyring), after key-policy.ts has agreed the store is worth trusting.
 */
import { safeStorage } from 'electron';
import { decideKeyStore } from './services/cache/key-policy';
import type { KeyWrap } from './services/cache/key-wrap';

/** The wrap to use, or why the desk must not start. Call after the app is ready. */
export function safeStorageKeyWrap(plainTextAllowed: boolean): KeyWrap | { refused: string } {
  const decision = decideKeyStore({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
    plainTextAllowed,
  });
  if (!decision.use) return { refused: decision.reason };
  return {
    backend: decision.backend,
    warning: decision.warning,
    wrap: (secret) => safeStorage.encryptString(secret),
    unwrap: (wrapped) => safeStorage.decryptString(wrapped),
  };
}
