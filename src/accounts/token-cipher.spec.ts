import { randomBytes } from 'node:crypto';
import { codeChallengeS256 } from './pkce';
import { keyIdOf, TokenCipher } from './token-cipher';

describe('TokenCipher', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);

  it('opens what it sealed, and never stores the token in the clear', () => {
    const cipher = new TokenCipher(newKey);
    const sealed = cipher.seal('access-token-123', 'account:si-x:access');
    expect(sealed.keyId).toBe(keyIdOf(newKey));
    expect(Buffer.from(sealed.value, 'base64').toString('latin1')).not.toContain('access-token-123');
    expect(cipher.open(sealed, 'account:si-x:access')).toBe('access-token-123');
  });

  it('refuses a token moved to another account or field (the context is authenticated)', () => {
    const cipher = new TokenCipher(newKey);
    const sealed = cipher.seal('refresh-1', 'account:si-x:refresh');
    expect(() => cipher.open(sealed, 'account:hr-x:refresh')).toThrow();
    expect(() => cipher.open(sealed, 'account:si-x:access')).toThrow();
  });

  it('refuses a tampered value', () => {
    const cipher = new TokenCipher(newKey);
    const sealed = cipher.seal('refresh-1', 'c');
    const bytes = Buffer.from(sealed.value, 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => cipher.open({ ...sealed, value: bytes.toString('base64') }, 'c')).toThrow();
  });

  it('after a rotation, opens old rows with the previous key and seals new ones with the current key', () => {
    const before = new TokenCipher(oldKey).seal('t', 'c');
    const rotated = new TokenCipher(newKey, oldKey);
    expect(rotated.isStale(before.keyId)).toBe(true);
    expect(rotated.open(before, 'c')).toBe('t');
    const again = rotated.seal('t', 'c');
    expect(rotated.isStale(again.keyId)).toBe(false);
    expect(() => new TokenCipher(newKey).open(before, 'c')).toThrow(/neither TOKEN_ENCRYPTION_KEY nor TOKEN_ENCRYPTION_KEY_PREVIOUS/);
  });

  it('cannot seal without a key', () => {
    expect(new TokenCipher(undefined).enabled).toBe(false);
    expect(() => new TokenCipher(undefined).seal('t', 'c')).toThrow(/TOKEN_ENCRYPTION_KEY/);
  });
});

describe('codeChallengeS256', () => {
  it('matches RFC 7636 Appendix B', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });
});
