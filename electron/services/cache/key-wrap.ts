/** What protects the cache key at rest: Electron's safeStorage in the app; a test wrap in tests. */
export interface KeyWrap {
  /** Where the wrapping key lives, for messages (e.g. "gnome_libsecret", "dpapi", "keychain"). */
  backend: string;
  wrap: (secret: string) => Buffer;
  /** Throws when the wrapping key has changed or gone (a reset keyring, another machine). */
  unwrap: (wrapped: Buffer) => string;
  /** A warning the consultant should see while this wrap is in use, if any. */
  warning?: string | null;
}
