/**
 * Server sign-in: the demo hub wants a bearer token on every FHIR request;
 * the desk gets one with OAuth 2 + PKCE through the browser and a loopback redirect, keeps it
 * wrapped, renews it when the server refuses it, and when it cannot, keeps the consultant's work
 * until they sign in again.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoHub, type DemoHub } from '../../electron/hub/demo-hub';
import { DESK_CLIENT_ID } from '../../electron/hub/hub-auth';
import { DEMO_CONSULTANTS } from '../../electron/hub/generator/referral-cases';
import { createAuthSession, TOKEN_FILE } from '../../electron/services/auth/auth-session';
import { signedInUser } from '../../electron/services/auth/browser-sign-in';
import { challengeFor, createPkce } from '../../electron/services/auth/pkce';
import { openDesk, type Desk } from '../../electron/services/desk';
import type { AuthStatus } from '../../shared/domain/auth-status';
import type { SignedOutcome } from '../../shared/outcome/outcome';
import { noAction } from '../support/outcome-drafts';
import { tempDir } from '../support/temp-dir';
import { UNHURRIED_MS } from '../support/unhurried';
import { TEST_KEY_WRAP, testKeyWrap } from '../support/test-key-wrap';
import { followAsBrowser } from '../support/test-sign-in';

const ME = DEMO_CONSULTANTS[0].id;
let hub: DemoHub;
let origin: string;

beforeAll(async () => {
  hub = await startDemoHub({ cases: 6, seed: 13, now: new Date('2026-11-25T12:00:00Z') });
  origin = new URL(hub.baseUrl).origin;
});

afterAll(async () => {
  await hub?.close();
});

describe('the demo hub asks for a token', () => {
  it.each([
    ['no token', {}, 'Bearer realm="demo hub"'],
    ['an unknown token', { authorization: 'Bearer not-a-token-the-hub-gave-out' }, 'Bearer realm="demo hub", error="invalid_token"'],
    ['a token gone stale', 'revoked', 'Bearer realm="demo hub", error="invalid_token"'],
  ] as const)('answers 401 to a FHIR request with %s', async (_what, given, challenge) => {
    const headers = given === 'revoked' ? { authorization: `Bearer ${hub.issueToken()}` } : given;
    if (given === 'revoked') hub.revokeTokens();
    for (const path of ['Patient', 'Binary/bin-0001-1', '']) {
      const response = await fetch(`${hub.baseUrl}/${path}`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(challenge);
    }
    expect((await fetch(`${hub.baseUrl}/Patient`, { headers: { authorization: `Bearer ${hub.issueToken()}` } })).status).toBe(200);
  });

  it('says where to sign in (SMART discovery), without a token', async () => {
    const config = (await (await fetch(`${hub.baseUrl}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    expect(config).toMatchObject({ authorization_endpoint: `${origin}/oauth/authorize`, token_endpoint: `${origin}/oauth/token`, code_challenge_methods_supported: ['S256'] });
  });
});

describe('the hub checks each step of the sign-in', () => {
  const redirect = 'http://127.0.0.1:9/callback';
  const authorize = async (params: Record<string, string>): Promise<Response> =>
    fetch(`${origin}/oauth/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
  const token = async (form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> => {
    const response = await fetch(`${origin}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const codeFor = async (challenge: string): Promise<string> => {
    const response = await authorize({ response_type: 'code', client_id: DESK_CLIENT_ID, redirect_uri: redirect, state: 's1', code_challenge: challenge, code_challenge_method: 'S256', login_hint: ME, aud: hub.baseUrl });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(redirect);
    expect(back.searchParams.get('state')).toBe('s1');
    return back.searchParams.get('code')!;
  };

  it('exchanges a code once, only with its verifier and its redirect', async () => {
    const { verifier, challenge } = createPkce();
    const wrongVerifier = await token({ grant_type: 'authorization_code', client_id: DESK_CLIENT_ID, code: await codeFor(challenge), redirect_uri: redirect, code_verifier: createPkce().verifier });
    expect(wrongVerifier).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: 'the code verifier does not match the challenge' } });

    const wrongRedirect = await token({ grant_type: 'authorization_code', client_id: DESK_CLIENT_ID, code: await codeFor(challenge), redirect_uri: 'http://127.0.0.1:10/callback', code_verifier: verifier });
    expect(wrongRedirect.body.error_description).toBe('redirect_uri differs from the one signed in with');

    const code = await codeFor(challengeFor(verifier));
    const form = { grant_type: 'authorization_code', client_id: DESK_CLIENT_ID, code, redirect_uri: redirect, code_verifier: verifier };
    const granted = await token(form);
    expect(granted).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
    expect(signedInUser(granted.body.id_token as string, DESK_CLIENT_ID)).toBe(`Practitioner/${ME}`);
    expect(() => signedInUser(granted.body.id_token as string, 'another-app')).toThrow(/not issued to this desk/);
    expect(() => signedInUser(granted.body.id_token as string, DESK_CLIENT_ID, Date.now() + 3_600_000)).toThrow(/expired/);
    expect((await token(form)).body).toMatchObject({ error: 'invalid_grant', error_description: 'the code is unknown, used or expired' });

    // A refresh token works once: it is replaced with each use.
    const refresh = { grant_type: 'refresh_token', client_id: DESK_CLIENT_ID, refresh_token: granted.body.refresh_token as string };
    expect((await token(refresh)).status).toBe(200);
    expect((await token(refresh)).status).toBe(400);
  });

  it.each([
    ['a redirect off this computer', { redirect_uri: 'http://evil.example/callback' }, 400],
    ['an https redirect', { redirect_uri: 'https://127.0.0.1:9/callback' }, 400],
    ['plain PKCE', { code_challenge_method: 'plain' }, 302],
    ['no PKCE', { code_challenge: '' }, 302],
    ['another client', { client_id: 'someone-else' }, 400],
    ['a token for another server', { aud: 'https://fhir.elsewhere.example/R4' }, 302],
  ])('refuses %s', async (_what, change, status) => {
    const response = await authorize({
      response_type: 'code', client_id: DESK_CLIENT_ID, redirect_uri: redirect, state: 's2', code_challenge: createPkce().challenge, code_challenge_method: 'S256', login_hint: ME, aud: hub.baseUrl, ...change,
    });
    expect(response.status).toBe(status);
    if (status === 302) expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    else expect(response.headers.get('location')).toBeNull();
  });

  it('shows a page to choose the consultant when the app does not say who', async () => {
    const response = await authorize({ response_type: 'code', client_id: DESK_CLIENT_ID, redirect_uri: redirect, state: 's3', code_challenge: createPkce().challenge, code_challenge_method: 'S256', aud: hub.baseUrl });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Sign in to the demo hub');
    expect(html).toContain(`login_hint=${ME}`);
  });
});

describe('the desk signed in', () => {
  /**
   * The consultant's browser, counting its visits, and able to walk away from the sign-in. The
   * desk waits for it longer than any test takes, except where a test lets the wait run out.
   */
  const browser = { visits: 0, abandon: false, waitMs: UNHURRIED_MS };
  const signIn = {
    clientId: DESK_CLIENT_ID, loginHint: ME,
    get timeoutMs(): number {
      return browser.waitMs;
    },
    openBrowser: async (url: string): Promise<void> => {
      browser.visits += 1;
      if (!browser.abandon) await followAsBrowser(url);
    },
  };
  const statuses: AuthStatus[] = [];
  const outcomes: SignedOutcome[] = [];
  const open = (dir: string, wrap = TEST_KEY_WRAP): Desk =>
    openDesk({
      keyWrap: wrap, signIn, dataDir: dir, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0, undoMs: 0,
      reviewer: { practitionerId: ME }, fhir: { timeoutMs: UNHURRIED_MS, retry: { maxAttempts: 2, baseDelayMs: 10 } },
      onEvent: (name, payload) => {
        if (name === 'auth.changed') statuses.push(payload as AuthStatus);
        if (name === 'outcome.changed') outcomes.push(payload as SignedOutcome);
      },
    });

  it('signs in once through the browser, keeps the token wrapped, and is not asked again on restart', async () => {
    const dir = tempDir('desk-sign-in');
    try {
      browser.visits = 0;
      statuses.length = 0;
      const first = open(dir.path);
      expect((await first.sync()).state).toBe('idle');
      expect(browser.visits).toBe(1);
      // While the browser is open the desk says it is signing in, not that it is signed out.
      expect(statuses.map((s) => s.state)).toEqual(['signing-in', 'signed-in']);
      expect(await first.handlers['auth.status'](undefined)).toEqual({ state: 'signed-in', user: `Practitioner/${ME}`, problem: null });
      await first.close();

      const stored = readFileSync(join(dir.path, TOKEN_FILE), 'utf8');
      expect(stored).not.toMatch(/accessToken|refreshToken|Bearer/);
      expect(Buffer.from(stored, 'base64').toString('latin1')).not.toMatch(/accessToken|refreshToken/);

      const again = open(dir.path);
      expect((await again.sync()).state).toBe('idle');
      await again.close();
      expect(browser.visits).toBe(1);

      // Another key store cannot read the token: the consultant signs in again.
      const elsewhere = open(dir.path, testKeyWrap('another machine'));
      await elsewhere.sync();
      await elsewhere.close();
      expect(browser.visits).toBe(2);
    } finally {
      dir.remove();
    }
  });

  it('renews a token the server stopped taking, without the consultant', async () => {
    const dir = tempDir('desk-renew');
    const desk = open(dir.path);
    try {
      await desk.sync();
      const visits = browser.visits;
      hub.revokeTokens();
      const status = await desk.sync();
      expect(status.state).toBe('idle');
      expect(browser.visits).toBe(visits);
    } finally {
      await desk.close();
      dir.remove();
    }
  });

  it('keeps a signed outcome when signed out, says so, and sends it once the consultant signs in again', async () => {
    const dir = tempDir('desk-signed-out');
    const desk = open(dir.path);
    try {
      await desk.sync();
      const [referral] = await desk.handlers['queue.list'](undefined);
      hub.revokeTokens({ refreshTokens: true });
      browser.abandon = true; // the consultant closes the browser tab
      browser.waitMs = 500; // and the desk stops waiting for it

      const signed = await desk.handlers['outcome.sign']({ referralId: referral!.referralId, draft: noAction });
      await expect.poll(() => outcomes.find((o) => o.outcomeId === signed.outcomeId && o.state === 'failed')?.problem).toMatch(/sign/i);
      const out = await desk.handlers['auth.status'](undefined);
      expect(out.state).toBe('signed-out');
      expect(out.problem).toMatch(/Sign-in failed: the browser did not come back/);
      // Background retries do not open the browser again and again.
      const visits = browser.visits;
      expect((await desk.sync()).state).not.toBe('idle');
      expect(browser.visits).toBe(visits);
      expect((await desk.handlers['outcome.list'](undefined)).find((o) => o.outcomeId === signed.outcomeId)?.state).toBe('failed');

      browser.abandon = false;
      browser.waitMs = UNHURRIED_MS;
      expect((await desk.handlers['auth.signIn'](undefined)).state).toBe('signed-in');
      expect(statuses.at(-1)?.state).toBe('signed-in');
      await expect.poll(() => outcomes.find((o) => o.outcomeId === signed.outcomeId && o.state === 'sent')).toBeTruthy();
      const onHub = (await (await fetch(`${hub.baseUrl}/Communication?_count=100`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${hub.issueToken()}` } })).json()) as { entry?: { resource: { identifier?: { value?: string }[] } }[] };
      expect(onHub.entry?.filter((e) => e.resource.identifier?.some((id) => id.value === signed.outcomeId))).toHaveLength(1);
    } finally {
      browser.abandon = false;
      browser.waitMs = UNHURRIED_MS;
      await desk.close();
      dir.remove();
    }
  });

  it('refuses a sign-in as someone other than the consultant the desk signs outcomes as', async () => {
    const dir = tempDir('desk-wrong-user');
    const desk = openDesk({
      keyWrap: TEST_KEY_WRAP, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0,
      reviewer: { practitionerId: ME }, signIn: { ...signIn, loginHint: DEMO_CONSULTANTS[1].id },
    });
    try {
      expect((await desk.sync()).state).toBe('failed');
      expect(await desk.handlers['auth.status'](undefined)).toEqual({
        state: 'signed-out', user: null,
        problem: `Sign-in failed: signed in as Practitioner/${DEMO_CONSULTANTS[1].id}, but this desk signs outcomes as Practitioner/${ME}`,
      });
      expect(existsSync(join(dir.path, TOKEN_FILE))).toBe(false);
    } finally {
      await desk.close();
      dir.remove();
    }
  });

  it('says signed out when the server refuses even a fresh token, rather than renewing for ever', async () => {
    const dir = tempDir('desk-refused-token');
    const desk = open(dir.path);
    try {
      await desk.sync();
      // An account the server no longer lets in: each 401 is renewed once, then the desk stops.
      hub.refuseTokens(true);
      const visits = browser.visits;
      expect((await desk.sync()).state).toBe('failed');
      hub.refuseTokens(false);
      const status = await desk.handlers['auth.status'](undefined);
      expect(status.state).toBe('signed-out');
      expect(status.problem).toMatch(/does not accept the sign-in it gave/);
      expect(browser.visits).toBe(visits);
    } finally {
      hub.refuseTokens(false);
      await desk.close();
      dir.remove();
    }
  });

  it('keeps its tokens when the sign-in server cannot be reached, and calls that unreachable, not signed out', async () => {
    const dir = tempDir('desk-auth-unreachable');
    try {
      // A session whose token ran out, for a server that is not there: only the network is wrong.
      const gone = 'http://127.0.0.1:9/fhir';
      const stored = { server: gone, accessToken: 'a'.repeat(40), refreshToken: 'r'.repeat(40), expiresAt: Date.now() - 1000, user: `Practitioner/${ME}` };
      writeFileSync(join(dir.path, TOKEN_FILE), TEST_KEY_WRAP.wrap(JSON.stringify(stored)).toString('base64'));
      const session = createAuthSession({ server: gone, dataDir: dir.path, keyWrap: TEST_KEY_WRAP, settings: signIn, expectedUser: `Practitioner/${ME}`, onChange: () => undefined });
      const visits = browser.visits;
      await expect(session.authorization()).rejects.toMatchObject({ failure: 'unreachable' });
      expect(session.status()).toMatchObject({ state: 'signed-in', problem: null });
      expect(existsSync(join(dir.path, TOKEN_FILE))).toBe(true);
      expect(browser.visits).toBe(visits);
    } finally {
      dir.remove();
    }
  });

  it('closes at once while a browser sign-in is still waiting', async () => {
    const dir = tempDir('desk-close-signing-in');
    const desk = open(dir.path);
    try {
      browser.abandon = true;
      const syncing = desk.sync();
      await expect.poll(() => desk.handlers['auth.status'](undefined).then((s) => s.state)).toBe('signing-in');
      // The sign-in would wait ten minutes for the browser: the close ends the wait, or the test hangs.
      await desk.close();
      const status = await syncing;
      expect(status.state).toBe('failed');
      expect(status.problem).toMatch(/the desk closed before the browser came back/);
    } finally {
      browser.abandon = false;
      dir.remove();
    }
  });

  it('takes no callback that does not carry its own state', async () => {
    const dir = tempDir('desk-forged-callback');
    const forged: number[] = [];
    const desk = openDesk({
      keyWrap: TEST_KEY_WRAP, dataDir: dir.path, source: { kind: 'demo', url: hub.baseUrl, service: hub.service }, tileBaseUrl: 'x', prefetchCases: 0,
      signIn: {
        clientId: DESK_CLIENT_ID, loginHint: ME,
        openBrowser: async (url) => {
          // Another page races the real answer to the desk's loopback port with a code of its own.
          const callback = new URL(new URL(url).searchParams.get('redirect_uri')!);
          callback.searchParams.set('code', 'attacker-code');
          callback.searchParams.set('state', 'not-the-desks');
          forged.push((await fetch(callback)).status);
          await followAsBrowser(url);
        },
      },
    });
    try {
      expect((await desk.sync()).state).toBe('idle');
      expect(forged).toEqual([404]);
    } finally {
      await desk.close();
      dir.remove();
    }
  });
});
