/**
 * Sign-in for the demo hub, as a real FHIR server would ask of a desktop app: OAuth 2
 * authorization code with PKCE (RFC 7636, S256 only) and a loopback redirect (RFC 8252), SMART
 * discovery at the FHIR base, and a bearer token on every FHIR request. The demo has no
 * passwords: signing in is choosing one of its consultants on the hub's own page.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { DEMO_CONSULTANTS } from './generator/referral-cases';
import { json, outcome, readBody, type Answer } from './http-io';

export const DESK_CLIENT_ID = 'derm-review-desk';
const CODE_TTL_MS = 60_000;
const MAX_FORM_BYTES = 16 * 1024;

export interface HubAuthOptions {
  /** How long an access token lives; an hour unless a test wants it shorter. */
  accessTokenTtlMs?: number;
}

export interface HubAuth {
  /** The sign-in page, the token endpoint and discovery; null for any other path. */
  answer(req: IncomingMessage, url: URL, origin: string, fhirBase: string): Promise<Answer | null>;
  /** Null when the request carries a live token, else the 401 to send. */
  refusal(req: IncomingMessage): Answer | null;
  /** A token without the browser, for tests acting as another system on the hub (the GP's, say). */
  issueToken(subject: string): string;
  /** Every access token ends now (and refresh tokens too, if asked), as after a revocation. */
  revoke(options?: { refreshTokens?: boolean }): void;
  /** Refuses every token, new ones too, as a server does for an account without access. */
  refuseAll(refusing: boolean): void;
}

interface Grant {
  challenge: string;
  redirectUri: string;
  subject: string;
  expiresAt: number;
}

const token = (): string => randomBytes(32).toString('base64url');
const s256 = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

export function createHubAuth(options: HubAuthOptions = {}): HubAuth {
  const accessTtl = options.accessTokenTtlMs ?? 60 * 60_000;
  const codes = new Map<string, Grant>();
  const access = new Map<string, { subject: string; expiresAt: number }>();
  const refresh = new Map<string, string>();
  let refusing = false;

  // Signs the demo's ID tokens; the desk takes them straight from the token endpoint over the
  // connection it opened, so (as OpenID Connect allows) it reads them without checking this.
  const idTokenKey = randomBytes(32);
  const idToken = (subject: string): string => {
    const now = Math.floor(Date.now() / 1000);
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ iss: 'demo-hub', sub: subject, aud: DESK_CLIENT_ID, iat: now, exp: now + 300, fhirUser: `Practitioner/${subject}` })}`;
    return `${body}.${createHmac('sha256', idTokenKey).update(body).digest('base64url')}`;
  };

  const issue = (subject: string): Record<string, string | number> => {
    const accessToken = token();
    const refreshToken = token();
    access.set(accessToken, { subject, expiresAt: Date.now() + accessTtl });
    refresh.set(refreshToken, subject);
    return {
      access_token: accessToken, token_type: 'Bearer', expires_in: Math.floor(accessTtl / 1000), refresh_token: refreshToken,
      scope: 'openid fhirUser user/*.rs user/Task.u user/Communication.c', id_token: idToken(subject),
    };
  };

  const authorize = (url: URL, fhirBase: string): Answer => {
    const q = url.searchParams;
    const redirect = loopbackRedirect(q.get('redirect_uri'));
    // Never send a browser on to an address that is not this computer's: say so on the page.
    if (!redirect) return page(400, 'Sign-in refused', 'The app asked to be answered at an address that is not a loopback http address on this computer.');
    // An unknown client is told on the page, never redirected (RFC 6749 §4.1.2.1).
    if (q.get('client_id') !== DESK_CLIENT_ID) return page(400, 'Sign-in refused', 'This app is not known to the demo hub.');
    const fail = (error: string): Answer => redirectTo(redirect, { error, state: q.get('state') ?? '' });
    // aud must name this FHIR server, so a token asked for elsewhere is never issued for it (SMART).
    if (q.get('response_type') !== 'code' || !q.get('state') || q.get('aud') !== fhirBase) return fail('invalid_request');
    if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.get('code_challenge') ?? '')) return fail('invalid_request');
    const who = DEMO_CONSULTANTS.find((c) => c.id === q.get('login_hint'));
    if (!who) return chooser(url);
    const code = token();
    codes.set(code, { challenge: q.get('code_challenge')!, redirectUri: redirect.toString(), subject: who.id, expiresAt: Date.now() + CODE_TTL_MS });
    return redirectTo(redirect, { code, state: q.get('state')! });
  };

  const exchange = (form: URLSearchParams): Answer => {
    const refused = (error: string, description: string): Answer => plainJson(400, { error, error_description: description });
    if (form.get('client_id') !== DESK_CLIENT_ID) return refused('invalid_client', 'unknown client');
    if (form.get('grant_type') === 'refresh_token') {
      const given = form.get('refresh_token') ?? '';
      const subject = refresh.get(given);
      if (!subject) return refused('invalid_grant', 'the refresh token is not live');
      refresh.delete(given); // rotated: each refresh token works once
      return plainJson(200, issue(subject));
    }
    if (form.get('grant_type') !== 'authorization_code') return refused('unsupported_grant_type', 'authorization_code or refresh_token');
    const code = form.get('code') ?? '';
    const grant = codes.get(code);
    codes.delete(code); // one use, whatever happens next
    if (!grant || grant.expiresAt < Date.now()) return refused('invalid_grant', 'the code is unknown, used or expired');
    if (form.get('redirect_uri') !== grant.redirectUri) return refused('invalid_grant', 'redirect_uri differs from the one signed in with');
    if (s256(form.get('code_verifier') ?? '') !== grant.challenge) return refused('invalid_grant', 'the code verifier does not match the challenge');
    return plainJson(200, issue(grant.subject));
  };

  return {
    async answer(req, url, origin, fhirBase) {
      if (req.method === 'GET' && url.pathname === `${new URL(fhirBase).pathname}/.well-known/smart-configuration`) {
        return plainJson(200, {
          authorization_endpoint: `${origin}/oauth/authorize`, token_endpoint: `${origin}/oauth/token`,
          grant_types_supported: ['authorization_code', 'refresh_token'], code_challenge_methods_supported: ['S256'],
          capabilities: ['client-public', 'permission-user'],
        });
      }
      if (req.method === 'GET' && url.pathname === '/oauth/authorize') return authorize(url, fhirBase);
      if (req.method === 'POST' && url.pathname === '/oauth/token') return exchange(await readForm(req));
      return null;
    },
    refusal(req) {
      const bearer = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(req.headers.authorization ?? '')?.[1];
      const held = bearer ? access.get(bearer) : undefined;
      if (held && held.expiresAt > Date.now() && !refusing) return null;
      const answer = json(401, outcome('login', bearer ? 'the access token is not live' : 'sign in: a bearer token is required'));
      return { ...answer, headers: { 'www-authenticate': `Bearer realm="demo hub"${bearer ? ', error="invalid_token"' : ''}` } };
    },
    issueToken: (subject) => issue(subject).access_token as string,
    refuseAll(on) {
      refusing = on;
    },
    revoke(revoking = {}) {
      access.clear();
      if (revoking.refreshTokens) refresh.clear();
    },
  };
}

/** RFC 8252 §7.3: http on the loopback address, any port (the app picks one when it asks). */
function loopbackRedirect(value: string | null): URL | null {
  try {
    const url = new URL(value ?? '');
    return url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === '[::1]') && !url.username && !url.hash ? url : null;
  } catch {
    return null;
  }
}

function redirectTo(target: URL, params: Record<string, string>): Answer {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return { status: 302, headers: { location: url.toString(), 'cache-control': 'no-store' }, body: Buffer.alloc(0), contentType: 'text/plain' };
}

function plainJson(status: number, body: unknown): Answer {
  return { status, headers: { 'cache-control': 'no-store' }, body: Buffer.from(JSON.stringify(body)), contentType: 'application/json' };
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, text: string, extra = ''): Answer {
  const html = `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${extra}`;
  return { status, headers: { 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'" }, body: Buffer.from(html), contentType: 'text/html; charset=utf-8' };
}

/** The hub's sign-in page: one link per demo consultant, each the same request with a login_hint. */
function chooser(url: URL): Answer {
  const links = DEMO_CONSULTANTS.map((c) => {
    const choice = new URL(url);
    choice.searchParams.set('login_hint', c.id);
    return `<li><a href="${escapeHtml(`${choice.pathname}${choice.search}`)}">Dr ${escapeHtml(`${c.given} ${c.family}`)}</a></li>`;
  }).join('');
  return page(200, 'Sign in to the demo hub', 'Demo only, synthetic patients: choose the consultant you are.', `<ul>${links}</ul>`);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req, MAX_FORM_BYTES)).toString('utf8'));
}
