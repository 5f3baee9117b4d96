/**
 * Secrets from Secret Manager, read once per instance and cached: a key
 * used for every Chat API call costs one access, not one per call
 * (Secret Manager allows 90,000 accesses a minute per project). Concurrent
 * first reads share one access. `invalidate` makes the next read ask again,
 * for rotation. Errors name the secret, never its value.
 *
 * The client library (about 265 ms to import) is imported on the first read,
 * so a function that never reads a secret never pays for it. It runs in REST
 * mode (`fallback: 'rest'`), which also lets it talk to a local stand-in.
 */
import type { Config } from './config.js';
import { SpacelogError } from './errors.js';
import type { RuntimeAuth } from './google-auth.js';

/** Reads secrets by short name (in the project) or full resource name. */
export interface SecretReader {
  /** The payload of `name` at `version` (`latest` or a number), as UTF-8 text. */
  read(name: string, version?: string): Promise<string>;
  /** Forgets every cached version of `name`; the next read asks Secret Manager again. */
  invalidate(name: string): void;
}

/** Reads one secret version: its resource name → its payload. */
export type SecretAccess = (resource: string) => Promise<Uint8Array | string>;

/** `spacelog-key` in project P → `projects/P/secrets/spacelog-key`. */
export function secretResource(projectId: string, name: string): string {
  return name.startsWith('projects/') ? name : `projects/${projectId}/secrets/${name}`;
}

/** A caching, single-flight reader over `access`. */
export function cachedSecrets(projectId: string, access: SecretAccess): SecretReader {
  const cache = new Map<string, Promise<string>>();

  return {
    read(name, version = 'latest') {
      const key = `${secretResource(projectId, name)}/versions/${version}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const pending = access(key).then((payload) =>
        typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8'),
      );
      cache.set(key, pending);
      // A failed read is not cached: the next read tries again.
      pending.catch(() => {
        if (cache.get(key) === pending) cache.delete(key);
      });
      return pending;
    },
    invalidate(name) {
      const prefix = `${secretResource(projectId, name)}/versions/`;
      for (const key of [...cache.keys()]) if (key.startsWith(prefix)) cache.delete(key);
    },
  };
}

/** Options of {@link secretManagerAccess}. */
export interface SecretManagerOptions {
  /** `SECRET_MANAGER_URL`: protocol, host and port are used. */
  readonly url: string;
  readonly auth: RuntimeAuth;
  /** Time allowed to one access, the library's own retries included (default 10 s). */
  readonly timeoutMs?: number;
  /** Attempts the library makes on UNAVAILABLE (default 3). */
  readonly attempts?: number;
}

interface AccessClient {
  accessSecretVersion(
    request: { name: string },
    options: { timeout: number; maxRetries: number },
  ): Promise<
    [{ name?: string | null; payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]
  >;
}

/**
 * One secret version: its resource name as Secret Manager gives it (`latest`
 * resolved to a number), and its payload.
 */
export interface SecretVersion {
  readonly name: string;
  readonly data: string;
}

/** Reads one secret version with its resolved name. */
export type SecretVersionAccess = (resource: string) => Promise<SecretVersion>;

/** Accesses secret versions through `@google-cloud/secret-manager`, imported on first use. */
export function secretManagerVersionAccess(options: SecretManagerOptions): SecretVersionAccess {
  let client: Promise<AccessClient> | undefined;
  const connect = async (): Promise<AccessClient> => {
    const secretManager = await import('@google-cloud/secret-manager');
    // In the deployed bundle (scripts/bundle.ts), import() of this CommonJS
    // package yields its exports under `default` only (esbuild's interop).
    const { SecretManagerServiceClient } =
      (secretManager as Partial<typeof secretManager>).SecretManagerServiceClient === undefined
        ? secretManager.default
        : secretManager;
    const url = new URL(options.url);
    const https = url.protocol === 'https:';
    return new SecretManagerServiceClient({
      fallback: 'rest',
      protocol: https ? 'https' : 'http',
      apiEndpoint: url.hostname,
      port: url.port === '' ? (https ? 443 : 80) : Number(url.port),
      ...options.auth.libraryOptions,
    });
  };

  return async (resource) => {
    if (client === undefined) {
      const connecting = connect();
      client = connecting;
      connecting.catch(() => {
        if (client === connecting) client = undefined;
      });
    }
    try {
      const [version] = await (
        await client
      ).accessSecretVersion(
        { name: resource },
        { timeout: options.timeoutMs ?? 10_000, maxRetries: options.attempts ?? 3 },
      );
      const data = version.payload?.data;
      if (data === undefined || data === null) throw accessError(resource, { code: 5 });
      return {
        name: version.name ?? resource,
        data: typeof data === 'string' ? data : Buffer.from(data).toString('utf8'),
      };
    } catch (err) {
      throw err instanceof SpacelogError ? err : accessError(resource, err);
    }
  };
}

/** Accesses secret payloads through {@link secretManagerVersionAccess}. */
export function secretManagerAccess(options: SecretManagerOptions): SecretAccess {
  const versions = secretManagerVersionAccess(options);
  return async (resource) => (await versions(resource)).data;
}

/** Maps a Secret Manager failure (gRPC status codes) to a coded error naming the secret. */
function accessError(resource: string, err: unknown): SpacelogError {
  const code = (err as { code?: unknown } | null)?.code;
  const details = { secret: resource, grpcCode: typeof code === 'number' ? code : undefined };
  if (code === 5) {
    return new SpacelogError('not-found', `Secret ${resource} was not found.`, details);
  }
  if (code === 7 || code === 16) {
    return new SpacelogError(
      'misconfigured',
      `Secret ${resource} may not be read by this function: grant it roles/secretmanager.secretAccessor.`,
      details,
    );
  }
  if (code === 9) {
    return new SpacelogError(
      'misconfigured',
      `Secret ${resource} is disabled or destroyed: enable a version or point the setting at another.`,
      details,
    );
  }
  // The library's message carries the request URL: keep it out, the code says enough.
  return new SpacelogError(
    'unavailable',
    `Secret Manager could not be reached to read ${resource}; try again later.`,
    details,
  );
}

/** A cached reader over Secret Manager for this configuration. */
export function createSecretReader(
  config: Pick<Config, 'projectId' | 'secretManagerUrl'>,
  auth: RuntimeAuth,
): SecretReader {
  return cachedSecrets(
    config.projectId,
    secretManagerAccess({ url: config.secretManagerUrl, auth }),
  );
}
