import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 §4.1: 43–128 characters of [A-Za-z0-9-._~]; 32 random bytes in base64url give 43. */
export function newCodeVerifier(): string {
  return randomBytes(32).toString('base64url');
}

/** RFC 7636 §4.2, method S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export function codeChallengeS256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The OAuth `state`: unguessable, single use, bound to the browser session that asked for it (RFC 6749 §10.12). */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}
