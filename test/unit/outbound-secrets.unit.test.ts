import { describe, expect, it } from 'vitest';
import { cachedSecrets, secretResource } from '../../shared/secrets.js';

function countingAccess(values: Record<string, string>) {
  const seen: string[] = [];
  let fail = false;
  const access = async (resource: string) => {
    seen.push(resource);
    await Promise.resolve();
    if (fail) throw new Error('down');
    const value = values[resource];
    if (value === undefined) throw new Error('missing');
    return Buffer.from(value);
  };
  return { access, seen, setFail: (f: boolean) => (fail = f), values };
}

describe('cachedSecrets', () => {
  const latest = 'projects/p/secrets/key/versions/latest';

  it('reads a secret once and answers later reads from the cache', async () => {
    const store = countingAccess({ [latest]: 'v1' });
    const secrets = cachedSecrets('p', store.access);
    expect(await secrets.read('key')).toBe('v1');
    expect(await secrets.read('key')).toBe('v1');
    expect(store.seen).toEqual([latest]);
  });

  it('shares one access among concurrent first reads', async () => {
    const store = countingAccess({ [latest]: 'v1' });
    const secrets = cachedSecrets('p', store.access);
    await Promise.all(Array.from({ length: 20 }, () => secrets.read('key')));
    expect(store.seen).toHaveLength(1);
  });

  it('keeps pinned versions apart from latest', async () => {
    const store = countingAccess({ [latest]: 'v2', 'projects/p/secrets/key/versions/1': 'v1' });
    const secrets = cachedSecrets('p', store.access);
    expect(await secrets.read('key', '1')).toBe('v1');
    expect(await secrets.read('key')).toBe('v2');
  });

  it('reads again after invalidate (rotation)', async () => {
    const store = countingAccess({ [latest]: 'v1' });
    const secrets = cachedSecrets('p', store.access);
    await secrets.read('key');
    store.values[latest] = 'v2';
    secrets.invalidate('key');
    expect(await secrets.read('key')).toBe('v2');
  });

  it('does not cache a failed read', async () => {
    const store = countingAccess({ [latest]: 'v1' });
    const secrets = cachedSecrets('p', store.access);
    store.setFail(true);
    await expect(secrets.read('key')).rejects.toThrow('down');
    store.setFail(false);
    expect(await secrets.read('key')).toBe('v1');
  });

  it('accepts full resource names', () => {
    expect(secretResource('p', 'projects/q/secrets/s')).toBe('projects/q/secrets/s');
    expect(secretResource('p', 's')).toBe('projects/p/secrets/s');
  });
});
