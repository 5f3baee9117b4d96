/**
 * The token encryption keys, from Secret Manager (TOKEN_ENCRYPTION_KEY_SECRET).
 * Sealing uses the latest enabled version, re-read every few minutes so a
 * rotation takes effect without a restart; opening uses the exact version a
 * ciphertext names, cached for good (a version's payload never changes).
 * A key id is the version's resource name as Secret Manager returns it.
 */
import type { Clock } from '../clock.js';
import { misconfigured, unavailable, type SpacelogError } from '../errors.js';
import type { RuntimeAuth } from '../google-auth.js';
import { secretResource } from '../secrets.js';
import { decodeKey, type TokenKey, type TokenKeys } from './token-cipher.js';

/** One secret version: its full resource name (with the number) and payload. */
export interface SecretVersion {
  readonly name: string;
  readonly data: string;
}

/** Reads a secret version by resource name (`.../versions/latest` resolves to a number). */
export type SecretVersionAccess = (resource: string) => Promise<SecretVersion>;

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

interface VersionClient {
  accessSecretVersion(
    request: { name: string },
    options: { timeout: number; maxRetries: number },
  ): Promise<[{ name?: string | null; payload?: { data?: Uint8Array | string | null } | null }]>;
}

/**
 * Reads secret versions with their resolved names through
 * `@google-cloud/secret-manager` (REST mode), imported on first use.
 * `shared/secrets.ts` reads payloads only; this also needs the version name.
 */
export function secretManagerVersionAccess(options: {
  readonly url: string;
  readonly auth: RuntimeAuth;
}): SecretVersionAccess {
  let client: Promise<VersionClient> | undefined;
  const connect = async (): Promise<VersionClient> => {
    const { SecretManagerServiceClient } = await import('@google-cloud/secret-manager');
    const url = new URL(options.url);
    const https = url.protocol === 'https:';
    return new SecretManagerServiceClient({
      fallback: 'rest',
      protocol: https ? 'https' : 'http',
      apiEndpoint: url.hostname,
      port: url.port === '' ? (https ? 443 : 80) : Number(url.port),
      ...options.auth.libraryOptions,
    }) as unknown as VersionClient;
  };

  return async (resource) => {
    client ??= connect();
    const [version] = await (
      await client
    )
      .accessSecretVersion({ name: resource }, { timeout: 10_000, maxRetries: 3 })
      .catch((cause: unknown) => {
        throw misconfiguredOrUnavailable(resource, cause);
      });
    const data = version.payload?.data;
    if (data === undefined || data === null || typeof version.name !== 'string') {
      throw misconfigured(`Secret ${resource} has no payload.`);
    }
    return {
      name: version.name,
      data: typeof data === 'string' ? data : Buffer.from(data).toString('utf8'),
    };
  };
}

function misconfiguredOrUnavailable(resource: string, cause: unknown): SpacelogError {
  const code = (cause as { code?: unknown } | null)?.code;
  const details = { secret: resource, grpcCode: typeof code === 'number' ? code : undefined };
  // Not found, denied, disabled, unauthenticated: a deployment problem, not a passing one.
  if (code === 5 || code === 7 || code === 9 || code === 16) {
    return misconfigured(`Secret ${resource} cannot be read by this function.`, details);
  }
  return unavailable(`Secret Manager could not be reached to read ${resource}.`, details, cause);
}
