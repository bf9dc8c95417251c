import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits: guessing is hopeless, so a plain SHA-256 is a safe way to store and look up. */
export function newToken(prefix = 'nsc'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
