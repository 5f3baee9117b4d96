import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createTokenCipher,
  decodeKey,
  type TokenKey,
  type TokenKeys,
} from '../../shared/user-auth/token-cipher.js';

/** Keys held in memory; `rotate` makes a new current version. */
function memoryKeys(): TokenKeys & { rotate(): void } {
  const versions: TokenKey[] = [];
  const rotate = () =>
    versions.push({
      id: `projects/p/secrets/k/versions/${versions.length + 1}`,
      key: randomBytes(32),
    });
  rotate();
  return {
    rotate,
    current: () => Promise.resolve(versions[versions.length - 1]!),
    byId: (id) => {
      const found = versions.find((v) => v.id === id);
      return found ? Promise.resolve(found) : Promise.reject(new Error('unknown key'));
    },
  };
}

describe('token cipher', () => {
  it('seals to ciphertext that opens back in the same place', async () => {
    const cipher = createTokenCipher(memoryKeys());
    const sealed = await cipher.seal('1//refresh-token', 'userGrants/users/1/refresh');
    expect(JSON.stringify(sealed)).not.toContain('refresh-token');
    expect(await cipher.open(sealed, 'userGrants/users/1/refresh')).toBe('1//refresh-token');
  });

  it('refuses a ciphertext moved to another user or field', async () => {
    const cipher = createTokenCipher(memoryKeys());
    const sealed = await cipher.seal('secret', 'userGrants/users/1/refresh');
    await expect(cipher.open(sealed, 'userGrants/users/2/refresh')).rejects.toMatchObject({
      code: 'internal',
    });
    await expect(cipher.open(sealed, 'userGrants/users/1/access')).rejects.toBeDefined();
  });

  it('refuses a tampered ciphertext', async () => {
    const cipher = createTokenCipher(memoryKeys());
    const sealed = await cipher.seal('secret', 'c');
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = (data[0] ?? 0) ^ 1;
    await expect(
      cipher.open({ ...sealed, data: data.toString('base64') }, 'c'),
    ).rejects.toBeDefined();
  });

  it('opens old ciphertexts with their own key version after a rotation', async () => {
    const keys = memoryKeys();
    const cipher = createTokenCipher(keys);
    const old = await cipher.seal('before', 'c');
    keys.rotate();
    const fresh = await cipher.seal('after', 'c');
    expect(fresh.keyId).not.toBe(old.keyId);
    expect(await cipher.open(old, 'c')).toBe('before');
    expect(await cipher.open(fresh, 'c')).toBe('after');
  });

  it('accepts only 32 bytes of base64 as a key', () => {
    expect(decodeKey(randomBytes(32).toString('base64'), 'v1').key).toHaveLength(32);
    expect(() => decodeKey(randomBytes(16).toString('base64'), 'v1')).toThrow(/32 bytes/);
    expect(() => decodeKey('not a key', 'v1')).toThrow(/32 bytes/);
  });
});
