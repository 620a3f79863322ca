/**
 * The consultant's sign-in to the FHIR server for this desk: the token kept wrapped by the OS key
 * store (so a copied profile holds no usable token), refreshed when it runs out, and a browser
 * sign-in when nothing else works. A sign-in the consultant abandons is not pushed on them again
 * by every background retry: the desk waits until they choose to sign in.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AuthStatus } from '../../../shared/domain/auth-status';
import type { KeyWrap } from '../cache/key-wrap';
import { writeFileAtomic } from '../cache/write-atomic';
import { discoverEndpoints, requestTokens, signInWithBrowser, SignInFailed, type SignInSettings, type TokenSet } from './browser-sign-in';

export const TOKEN_FILE = 'sign-in.json';
/** Refresh a little before the server would refuse. */
const EARLY_MS = 30_000;

export class SignedOut extends Error {}

export interface AuthSession {
  /** The Authorization header for the next request; may refresh or sign in first. */
  authorization(): Promise<string>;
  /** The server refused `used` (401): true when a different token is ready to try. */
  rejected(used: string): Promise<boolean>;
  /** Signs in with the browser now, because the consultant asked. */
  signIn(): Promise<AuthStatus>;
  status(): AuthStatus;
}

const storedSchema = z.object({
  server: z.string(), accessToken: z.string(), refreshToken: z.string().nullable(), expiresAt: z.number(), user: z.string().nullable(),
});

export function createAuthSession(options: {
  server: string;
  dataDir: string;
  keyWrap: KeyWrap;
  settings: SignInSettings;
  onChange: (status: AuthStatus) => void;
}): AuthSession {
  const file = join(options.dataDir, TOKEN_FILE);
  let tokens = load();
  let problem: string | null = null;
  /** After a browser sign-in fails or is abandoned, wait for the consultant to ask again. */
  let waitForConsultant = false;
  let pending: Promise<TokenSet> | null = null;

  function load(): TokenSet | null {
    if (!existsSync(file)) return null;
    try {
      const stored = storedSchema.parse(JSON.parse(options.keyWrap.unwrap(Buffer.from(readFileSync(file, 'utf8'), 'base64'))));
      return stored.server === options.server ? stored : null;
    } catch {
      return null; // unreadable or from another key store: sign in again
    }
  }

  const status = (): AuthStatus => ({
    state: pending ? 'signing-in' : tokens ? 'signed-in' : 'signed-out',
    user: tokens?.user ?? null,
    problem,
  });

  const keep = (next: TokenSet | null): void => {
    tokens = next;
    if (next) writeFileAtomic(file, options.keyWrap.wrap(JSON.stringify(next)).toString('base64'));
    else rmSync(file, { force: true });
  };

  /** One renewal at a time; everyone waiting shares it. */
  const renew = (interactive: boolean): Promise<TokenSet> => {
    pending ??= (async () => {
      const refreshToken = tokens?.refreshToken;
      if (refreshToken) {
        try {
          const { token } = await discoverEndpoints(options.server);
          return await requestTokens(options.server, token, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: options.settings.clientId });
        } catch {
          // fall through to signing in again
        }
      }
      keep(null);
      if (!interactive) throw new SignedOut(problem ?? 'signed out: sign in to reach the server');
      options.onChange(status());
      return signInWithBrowser(options.server, options.settings);
    })()
      .then((next) => {
        keep(next);
        problem = null;
        waitForConsultant = false;
        return next;
      })
      .catch((err: unknown) => {
        if (err instanceof SignInFailed) {
          problem = `Sign-in failed: ${err.message}`;
          waitForConsultant = true;
        }
        throw err instanceof SignedOut ? err : new SignedOut(problem ?? String(err));
      })
      .finally(() => {
        pending = null;
        options.onChange(status());
      });
    return pending;
  };

  return {
    async authorization() {
      const usable = tokens && tokens.expiresAt - EARLY_MS > Date.now() ? tokens : await renew(!waitForConsultant);
      return `Bearer ${usable.accessToken}`;
    },
    async rejected(used) {
      // Another request may already have renewed the token this one was sent with.
      if (tokens && `Bearer ${tokens.accessToken}` !== used) return true;
      try {
        await renew(!waitForConsultant);
        return true;
      } catch {
        return false;
      }
    },
    async signIn() {
      waitForConsultant = false;
      if (!tokens) await renew(true).catch(() => undefined);
      return status();
    },
    status,
  };
}
