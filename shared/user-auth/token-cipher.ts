/**
 * Encryption of stored user tokens: AES-256-GCM with a 32-byte key kept in
 * Secret Manager. Each ciphertext carries the id of the key that sealed it
 * (the secret version's resource name), so after a rotation old grants still
 * open with their own version while new ones are sealed with the latest.
 * Additional authenticated data binds a ciphertext to its place (user and
 * field): moved to another user's document, it does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SpacelogError, misconfigured } from '../errors.js';

/** A sealed token as stored in Firestore (binary parts in base64). */
export interface SealedToken {
  /** The key's id: the secret version name, `projects/P/secrets/S/versions/N`. */
  readonly keyId: string;
  readonly iv: string;
  readonly data: string;
  readonly tag: string;
}

/** A key with its id. */
export interface TokenKey {
  readonly id: string;
  readonly key: Buffer;
}

/** Where the keys come from: the current one for sealing, any by id for opening. */
export interface TokenKeys {
  current(): Promise<TokenKey>;
  byId(id: string): Promise<TokenKey>;
}

/** Seals and opens tokens. */
export interface TokenCipher {
  seal(plain: string, context: string): Promise<SealedToken>;
  open(sealed: SealedToken, context: string): Promise<string>;
}

const ALGORITHM = 'aes-256-gcm';

/** Checks and decodes a key secret's payload: 32 bytes, base64. */
export function decodeKey(payload: Buffer | string, id: string): TokenKey {
  const text = (typeof payload === 'string' ? payload : payload.toString('utf8')).trim();
  // 32 bytes are 43 base64 characters and one `=` of padding.
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    throw misconfigured('The token encryption key is not 32 bytes of base64.', { keyId: id });
  }
  const key = Buffer.from(text, 'base64');
  return { id, key };
}

/** A cipher over `keys`. */
export function createTokenCipher(keys: TokenKeys): TokenCipher {
  return {
    async seal(plain, context) {
      const { id, key } = await keys.current();
      const iv = randomBytes(12);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return {
        keyId: id,
        iv: iv.toString('base64'),
        data: data.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
      };
    },

    async open(sealed, context) {
      const { key } = await keys.byId(sealed.keyId);
      try {
        const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        const plain = Buffer.concat([
          decipher.update(Buffer.from(sealed.data, 'base64')),
          decipher.final(),
        ]);
        return plain.toString('utf8');
      } catch (cause) {
        throw new SpacelogError(
          'internal',
          'A stored token does not open with its key.',
          { keyId: sealed.keyId },
          { cause },
        );
      }
    },
  };
}
