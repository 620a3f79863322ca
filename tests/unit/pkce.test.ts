import { describe, expect, it } from 'vitest';
import { challengeFor, createPkce } from '../../electron/services/auth/pkce';

describe('PKCE', () => {
  it('matches the worked example of RFC 7636 (appendix B)', () => {
    expect(challengeFor('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes a fresh 43-character base64url verifier each time, with its challenge', () => {
    const first = createPkce();
    const second = createPkce();
    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.verifier).not.toBe(second.verifier);
    expect(first.challenge).toBe(challengeFor(first.verifier));
  });
});
