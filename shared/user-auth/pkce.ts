/**
 * The random values of a sign-in: the `state` that ties Google's redirect to
 * the Chat user who started it, and the PKCE verifier and its S256 challenge.
 * https://datatracker.ietf.org/doc/html/rfc7636#section-4
 */
import { createHash, randomBytes } from 'node:crypto';

/** A fresh `state`: 32 random bytes, base64url (43 characters). */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

/** A fresh PKCE code verifier: 32 random bytes, base64url (43 characters, within 43-128). */
export function newCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** The S256 code challenge of a verifier. */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * The key a `state` is stored under: its SHA-256, so whoever reads the
 * collection cannot complete a pending sign-in with what they read.
 */
export function stateKey(state: string): string {
  return createHash('sha256').update(state, 'utf8').digest('base64url');
}
