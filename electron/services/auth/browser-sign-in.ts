/**
 * Signing in the way a desktop app should (RFC 8252): the consultant's own browser opens the
 * server's sign-in page, which answers on a loopback address this desk listens on for one
 * callback; the code it carries is exchanged with the PKCE verifier. The desk never sees a
 * password, and an answer with the wrong state is ignored.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { isHttpsOrLocalHttp } from '../settings';
import { createPkce } from './pkce';

export interface SignInSettings {
  clientId: string;
  /** Opens an address in the consultant's browser (shell.openExternal in the app). */
  openBrowser: (url: string) => Promise<void>;
  /** Which account to suggest to the server, if known. */
  loginHint?: string;
  /** How long to wait for the browser to come back; five minutes unless set. */
  timeoutMs?: number;
}

export interface TokenSet {
  server: string;
  accessToken: string;
  refreshToken: string | null;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The signed-in user as the server names them, e.g. "Practitioner/consultant-1". */
  user: string | null;
}

/** Signing in did not work and will not without the consultant: refused, abandoned, misconfigured. */
export class SignInFailed extends Error {}

/** The sign-in server could not be reached (network, timeout, 5xx): try again later, keep the tokens. */
export class SignInServerUnreachable extends Error {}

/**
 * Sign-in addresses come from the server's discovery document, so they are checked like the
 * FHIR address itself: https, or plain http only on this computer. The authorize address is
 * opened in the system browser; the token address receives the code and refresh token.
 */
export function isSafeSignInEndpoint(value: string): boolean {
  try {
    const url = new URL(value);
    return isHttpsOrLocalHttp(url) && !url.username && !url.password;
  } catch {
    return false;
  }
}

const discoverySchema = z.object({ authorization_endpoint: z.url(), token_endpoint: z.url() });
const tokenSchema = z.object({
  access_token: z.string().min(1).max(4096),
  token_type: z.string().regex(/^bearer$/i),
  expires_in: z.number().int().positive().optional(),
  refresh_token: z.string().min(1).max(4096).optional(),
  id_token: z.string().max(16_384).optional(),
  /** Some servers give the user beside the token rather than in an ID token. */
  fhirUser: z.string().max(200).optional(),
});

const idTokenClaimsSchema = z.object({ aud: z.union([z.string(), z.array(z.string())]), exp: z.number(), fhirUser: z.string().max(200).optional() });

/**
 * Who signed in, from the ID token's fhirUser claim (SMART). The token comes straight from the
 * token endpoint over the connection the desk opened, so OpenID Connect lets a client rely on
 * TLS rather than the signature; its audience and expiry are still checked.
 */
export function signedInUser(idToken: string | undefined, clientId: string, nowMs = Date.now()): string | null {
  if (!idToken) return null;
  const payload = idToken.split('.')[1];
  let claims: z.infer<typeof idTokenClaimsSchema>;
  try {
    claims = idTokenClaimsSchema.parse(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')));
  } catch {
    throw new SignInFailed('the sign-in server sent an ID token that could not be read');
  }
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(clientId)) throw new SignInFailed('the ID token was not issued to this desk');
  if (claims.exp * 1000 < nowMs) throw new SignInFailed('the ID token has expired');
  return claims.fhirUser ?? null;
}

/** SMART discovery: where this FHIR server signs people in. */
export async function discoverEndpoints(fhirBase: string): Promise<{ authorize: string; token: string }> {
  let response: Response;
  try {
    response = await fetch(`${fhirBase}/.well-known/smart-configuration`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new SignInServerUnreachable(`the server could not be reached to sign in (${err instanceof Error ? err.message : String(err)})`);
  }
  if (response.status >= 500) throw new SignInServerUnreachable(`the server's sign-in settings answered ${response.status}`);
  const parsed = discoverySchema.safeParse(response.ok ? await response.json().catch(() => null) : null);
  if (!parsed.success) throw new SignInFailed(`the server does not say how to sign in (its SMART configuration answered ${response.status})`);
  const { authorization_endpoint: authorize, token_endpoint: token } = parsed.data;
  if (!isSafeSignInEndpoint(authorize) || !isSafeSignInEndpoint(token)) throw new SignInFailed('the server names sign-in addresses that are not https');
  return { authorize, token };
}

/** Posts a token request (a code or a refresh token) and reads the answer. */
export async function requestTokens(server: string, tokenUrl: string, form: Record<string, string>): Promise<TokenSet> {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(15_000),
  }).catch((err: unknown) => {
    throw new SignInServerUnreachable(`the sign-in server could not be reached (${err instanceof Error ? err.message : String(err)})`);
  });
  if (response.status >= 500) throw new SignInServerUnreachable(`the sign-in server answered ${response.status}`);
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const reason = z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(body);
    throw new SignInFailed(reason.success ? `${reason.data.error}${reason.data.error_description ? `: ${reason.data.error_description}` : ''}` : `answered ${response.status}`);
  }
  const tokens = tokenSchema.safeParse(body);
  if (!tokens.success) throw new SignInFailed('the sign-in server\'s answer could not be read');
  return {
    server,
    accessToken: tokens.data.access_token,
    refreshToken: tokens.data.refresh_token ?? null,
    expiresAt: Date.now() + (tokens.data.expires_in ?? 300) * 1000,
    user: signedInUser(tokens.data.id_token, form.client_id ?? '') ?? tokens.data.fhirUser ?? null,
  };
}

/** `signal` ends the wait for the browser (the desk is closing). */
export async function signInWithBrowser(fhirBase: string, settings: SignInSettings, signal?: AbortSignal): Promise<TokenSet> {
  const endpoints = await discoverEndpoints(fhirBase);
  const { verifier, challenge } = createPkce();
  const state = randomBytes(16).toString('base64url');
  const callback = await awaitCallback(state, settings.timeoutMs ?? 5 * 60_000, signal);
  try {
    const authorize = new URL(endpoints.authorize);
    const params: Record<string, string> = {
      // aud names the FHIR server the token is for (SMART App Launch).
      response_type: 'code', client_id: settings.clientId, redirect_uri: callback.redirectUri, state, aud: fhirBase,
      code_challenge: challenge, code_challenge_method: 'S256', scope: 'openid fhirUser user/*.rs user/Task.u user/Communication.c',
      ...(settings.loginHint ? { login_hint: settings.loginHint } : {}),
    };
    for (const [name, value] of Object.entries(params)) authorize.searchParams.set(name, value);
    // The browser comes back through the callback; opening it may resolve at once (as in Electron) or later.
    settings.openBrowser(authorize.toString()).catch(() => undefined);
    const code = await callback.code;
    return await requestTokens(fhirBase, endpoints.token, {
      grant_type: 'authorization_code', code, redirect_uri: callback.redirectUri, client_id: settings.clientId, code_verifier: verifier,
    });
  } finally {
    callback.close();
  }
}

/** Listens on 127.0.0.1 (a port the OS picks) for the one callback that carries our state. */
async function awaitCallback(state: string, timeoutMs: number, signal?: AbortSignal): Promise<{ redirectUri: string; code: Promise<string>; close: () => void }> {
  let settle: { resolve: (code: string) => void; reject: (err: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, text: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(text);
    };
    // Anything else knocking on this port (or a stale tab) is not our answer.
    if (url.pathname !== '/callback' || url.searchParams.get('state') !== state) return reply(404, 'Not a sign-in this desk is waiting for.');
    const error = url.searchParams.get('error');
    const given = url.searchParams.get('code');
    if (error || !given) {
      reply(400, 'Sign-in did not complete. Return to Derm Review Desk.');
      settle?.reject(new SignInFailed(`the server refused the sign-in (${error ?? 'no code'})`));
      return;
    }
    reply(200, 'Signed in. You can close this tab and return to Derm Review Desk.');
    settle?.resolve(given);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const timer = setTimeout(() => settle?.reject(new SignInFailed('the browser did not come back from signing in in time')), timeoutMs);
  timer.unref(); // a sign-in still waiting must not keep a quitting desk alive
  const abandon = (): void => settle?.reject(new SignInFailed('the desk closed before the browser came back'));
  if (signal?.aborted) abandon();
  signal?.addEventListener('abort', abandon, { once: true });
  const { port } = server.address() as AddressInfo;
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    code,
    close: () => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
    },
  };
}
