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
import { FhirRequestError } from '../fhir/fhir-client';
import {
  discoverEndpoints, requestTokens, signInWithBrowser, SignInFailed, SignInServerUnreachable, type SignInSettings, type TokenSet,
} from './browser-sign-in';

export const TOKEN_FILE = 'sign-in.json';
/** Refresh a little before the server would refuse. */
const EARLY_MS = 30_000;

export interface AuthSession {
  /** The Authorization header for the next request; may refresh or sign in first. */
  authorization(): Promise<string>;
  /** The server refused `used` (401): true when a different token is ready to try. */
  rejected(used: string): Promise<boolean>;
  /** The server refused `used` although it was just renewed for this very request. */
  refusedFresh(used: string): void;
  /** Signs in with the browser now, because the consultant asked. */
  signIn(): Promise<AuthStatus>;
  status(): AuthStatus;
  /** Stops waiting for a browser sign-in (the desk is closing). */
  close(): void;
}

const storedSchema = z.object({
  server: z.string(), accessToken: z.string(), refreshToken: z.string().nullable(), expiresAt: z.number(), user: z.string().nullable(),
});

export function createAuthSession(options: {
  server: string;
  dataDir: string;
  keyWrap: KeyWrap;
  settings: SignInSettings;
  /** Who outcomes are signed as, e.g. "Practitioner/consultant-1": a sign-in as anyone else is refused. */
  expectedUser: string | null;
  onChange: (status: AuthStatus) => void;
}): AuthSession {
  const file = join(options.dataDir, TOKEN_FILE);
  let tokens = load();
  let problem: string | null = null;
  /** After a browser sign-in fails or is abandoned, wait for the consultant to ask again. */
  let waitForConsultant = false;
  let pending: Promise<TokenSet> | null = null;
  const closing = new AbortController();

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

  const checkedUser = (next: TokenSet): TokenSet => {
    // A server that names the user must name the consultant the desk signs outcomes as.
    if (next.user && options.expectedUser && next.user !== options.expectedUser) {
      throw new SignInFailed(`signed in as ${next.user}, but this desk signs outcomes as ${options.expectedUser}`);
    }
    return next;
  };

  /**
   * One renewal at a time; everyone waiting shares it. A refresh the server refuses falls back
   * to signing in; a server that cannot be reached keeps the tokens and says so, as a network
   * failure (retried), never as a sign-out.
   */
  const renew = (interactive: boolean): Promise<TokenSet> => {
    pending ??= (async () => {
      await Promise.resolve(); // pending is set before anything below reports the state
      const refreshToken = tokens?.refreshToken;
      if (refreshToken) {
        try {
          const { token } = await discoverEndpoints(options.server);
          return checkedUser(await requestTokens(options.server, token, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: options.settings.clientId }));
        } catch (err) {
          if (err instanceof SignInServerUnreachable) throw err;
          // refused: sign in again
        }
      }
      keep(null);
      if (!interactive) throw new FhirRequestError(problem ?? 'signed out: sign in to reach the server', 'signed-out', 401);
      options.onChange(status());
      return checkedUser(await signInWithBrowser(options.server, options.settings, closing.signal));
    })()
      .then((next) => {
        keep(next);
        problem = null;
        waitForConsultant = false;
        return next;
      })
      .catch((err: unknown) => {
        if (err instanceof SignInServerUnreachable) throw new FhirRequestError(err.message, 'unreachable');
        if (err instanceof SignInFailed) {
          problem = `Sign-in failed: ${err.message}`;
          waitForConsultant = true;
        }
        throw err instanceof FhirRequestError ? err : new FhirRequestError(problem ?? String(err), 'signed-out', 401);
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
    refusedFresh(used) {
      // Refused again straight after renewing: renewing once more would only loop. The consultant must act.
      if (!tokens || `Bearer ${tokens.accessToken}` !== used) return;
      keep(null);
      problem = 'the server does not accept the sign-in it gave (does this account have access to the referrals?)';
      waitForConsultant = true;
      options.onChange(status());
    },
    async signIn() {
      waitForConsultant = false;
      if (!tokens) await renew(true).catch(() => undefined);
      return status();
    },
    status,
    close: () => closing.abort(),
  };
}
