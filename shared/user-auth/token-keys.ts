/**
 * The token encryption keys, from Secret Manager (TOKEN_ENCRYPTION_KEY_SECRET).
 * Sealing uses the latest enabled version, re-read every few minutes so a
 * rotation takes effect without a restart; opening uses the exact version a
 * ciphertext names, cached for good (a version's payload never changes).
 * A key id is the version's resource name as Secret Manager returns it.
 */
import type { Clock } from '../clock.js';
import { misconfigured } from '../errors.js';
import { secretResource, type SecretVersionAccess } from '../secrets.js';
import { decodeKey, type TokenKey, type TokenKeys } from './token-cipher.js';

/** Options of {@link secretTokenKeys}. */
export interface SecretTokenKeysOptions {
  readonly projectId: string;
  /** Short name or resource name of the key secret. */
  readonly secret: string;
  readonly access: SecretVersionAccess;
  readonly clock: Clock;
  /** How long the latest version is trusted before it is read again. Default 10 minutes. */
  readonly latestTtlMs?: number;
}

const shortName = (secret: string) => secret.replace(/^projects\/[^/]+\/secrets\//, '');

/** Token keys over Secret Manager. */
export function secretTokenKeys(options: SecretTokenKeysOptions): TokenKeys {
  const base = secretResource(options.projectId, options.secret);
  const ownVersion = new RegExp(
    `^projects/[^/]+/secrets/${shortName(options.secret)}/versions/\\d+$`,
  );
  const ttl = options.latestTtlMs ?? 600_000;
  const byId = new Map<string, Promise<TokenKey>>();
  let latest: { key: Promise<TokenKey>; at: number } | undefined;

  const load = (resource: string): Promise<TokenKey> => {
    const pending = options.access(resource).then((v) => {
      if (!ownVersion.test(v.name)) {
        throw misconfigured(`Secret Manager named no version of the key secret for ${resource}.`);
      }
      const key = decodeKey(v.data, v.name);
      if (!byId.has(v.name)) byId.set(v.name, Promise.resolve(key));
      return key;
    });
    return pending;
  };

  return {
    current() {
      const now = options.clock.now().getTime();
      if (latest !== undefined && now - latest.at < ttl) return latest.key;
      const key = load(`${base}/versions/latest`);
      const entry = { key, at: now };
      latest = entry;
      key.catch(() => {
        if (latest === entry) latest = undefined;
      });
      return key;
    },

    byId(id) {
      if (!ownVersion.test(id)) {
        return Promise.reject(misconfigured('A stored token names a key of another secret.'));
      }
      const hit = byId.get(id);
      if (hit !== undefined) return hit;
      const key = load(id);
      byId.set(id, key);
      key.catch(() => {
        if (byId.get(id) === key) byId.delete(id);
      });
      return key;
    },
  };
}
