import { describe, expect, it } from 'vitest';
import { decideKeyStore, type KeyStoreReport } from '../../electron/services/cache/key-policy';

const report = (over: Partial<KeyStoreReport>): KeyStoreReport => ({
  platform: 'linux', encryptionAvailable: true, linuxBackend: 'gnome_libsecret', plainTextAllowed: false, ...over,
});

describe('where the cache key may be kept', () => {
  it.each([
    ['macOS Keychain', report({ platform: 'darwin', linuxBackend: null }), { use: true, backend: 'keychain', warning: null }],
    ['Windows DPAPI', report({ platform: 'win32', linuxBackend: null }), { use: true, backend: 'dpapi', warning: null }],
    ['GNOME keyring', report({}), { use: true, backend: 'gnome_libsecret', warning: null }],
    ['KWallet 6', report({ linuxBackend: 'kwallet6' }), { use: true, backend: 'kwallet6', warning: null }],
  ])('uses %s', (_what, given, decision) => {
    expect(decideKeyStore(given)).toEqual(decision);
  });

  it.each([
    ['no encryption at all', report({ encryptionAvailable: false }), /no protected key storage/],
    ['no encryption, even when plain text is allowed', report({ encryptionAvailable: false, plainTextAllowed: true }), /no protected key storage/],
    ['Linux without a keyring (basic_text)', report({ linuxBackend: 'basic_text' }), /No keyring was found \(Electron reports "basic_text"\).*--allow-plain-text-key-storage/],
    ['Linux with an unknown store', report({ linuxBackend: 'unknown' }), /No keyring was found \(Electron reports "unknown"\)/],
    ['Linux with no report of its store', report({ linuxBackend: null }), /No keyring was found/],
  ])('refuses %s, saying why', (_what, given, reason) => {
    const decision = decideKeyStore(given);
    expect(decision.use).toBe(false);
    if (!decision.use) expect(decision.reason).toMatch(reason);
  });

  it('keeps a key without a keyring only when told to, and then warns', () => {
    const decision = decideKeyStore(report({ linuxBackend: 'basic_text', plainTextAllowed: true }));
    expect(decision).toMatchObject({ use: true, backend: 'basic_text' });
    if (decision.use) expect(decision.warning).toMatch(/without a keyring.*Anyone who can read this profile can read the cache/);
  });
});
