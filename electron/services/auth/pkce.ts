/** PKCE (RFC 7636): a one-time secret for each sign-in, and its S256 challenge. */
import { createHash, randomBytes } from 'node:crypto';

export function challengeFor(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** 32 random bytes as base64url: 43 characters, inside the RFC's 43–128. */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: challengeFor(verifier) };
}
