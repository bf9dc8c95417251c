import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A sealed value and the key that sealed it, as one row stores them. */
export interface Sealed {
  keyId: string;
  /** base64 of iv (12 bytes) ‖ GCM tag (16 bytes) ‖ ciphertext. */
  value: string;
}

/** A key's public name: the first 16 hex digits of its SHA-256 (it says which key, never the key). */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM for the access and refresh tokens of connected accounts. Each value is bound to where it
 * lives (`context`, e.g. "account:si-x:refresh") as additional authenticated data, so a token copied
 * into another row or field does not decrypt. The previous key (after a rotation) only decrypts.
 */
export class TokenCipher {
  private readonly keys = new Map<string, Buffer>();
  readonly currentKeyId: string | null;

  constructor(current: Buffer | undefined, previous?: Buffer) {
    if (previous) this.keys.set(keyIdOf(previous), previous);
    if (current) this.keys.set(keyIdOf(current), current);
    this.currentKeyId = current ? keyIdOf(current) : null;
  }

  get enabled(): boolean {
    return this.currentKeyId !== null;
  }

  seal(plain: string, context: string): Sealed {
    if (!this.currentKeyId) throw new Error('TOKEN_ENCRYPTION_KEY is not set: tokens cannot be stored');
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, value: Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64') };
  }

  open(sealed: Sealed, context: string): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) throw new Error(`token sealed with key ${sealed.keyId}, which is neither TOKEN_ENCRYPTION_KEY nor TOKEN_ENCRYPTION_KEY_PREVIOUS`);
    const bytes = Buffer.from(sealed.value, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Sealed under a key that is no longer the current one: to be sealed again (rotation). */
  isStale(keyId: string): boolean {
    return this.currentKeyId !== null && keyId !== this.currentKeyId;
  }
}
