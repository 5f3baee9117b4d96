/**
 * The function's own access token from the metadata server, for REST calls
 * on `chatEvents`' request path when it runs on Google Cloud. There the
 * Application Default Credentials are always the metadata server, and
 * asking it directly through the light client (`http/client.ts`) keeps
 * google-auth-library and undici out of a cold start. Elsewhere (a key file,
 * gcloud credentials) `google-auth.ts` decides.
 *
 * Tokens are kept until five minutes before they expire, as the library
 * does; concurrent callers share one request. The token never reaches a
 * log or an error message.
 * https://cloud.google.com/compute/docs/access/authenticate-workloads#applications
 */
import type { Clock } from './clock.js';
import { unavailable, type SpacelogError } from './errors.js';
import { lightFetch, type FetchLike } from './http/client.js';

const TOKEN_PATH = '/computeMetadata/v1/instance/service-accounts/default/token';
const EARLY_REFRESH_MS = 5 * 60_000;
const TIMEOUT_MS = 5_000;

/** Options of {@link metadataTokenHeaders}. */
export interface MetadataTokenOptions {
  /** `GCE_METADATA_HOST`: host, or host:port. */
  readonly host: string;
  readonly clock: Clock;
  readonly fetch?: FetchLike;
}

/** Headers carrying the metadata server's access token, fetched when needed. */
export function metadataTokenHeaders(
  options: MetadataTokenOptions,
): () => Promise<Readonly<Record<string, string>>> {
  const fetchImpl = options.fetch ?? lightFetch;
  const url = `http://${options.host}${TOKEN_PATH}`;
  let current: { headers: Record<string, string>; refreshAt: number } | undefined;
  let inFlight: Promise<Record<string, string>> | undefined;

  const refresh = async () => {
    const answer = await fetchImpl(url, {
      headers: { 'metadata-flavor': 'Google' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }).catch((err: unknown) => {
      throw failed(`unreachable (${(err as Error).name})`);
    });
    if (!answer.ok) throw failed(`answered ${answer.status}`);
    const body = (await answer.json().catch(() => undefined)) as
      { access_token?: unknown; expires_in?: unknown } | undefined;
    const token = body?.access_token;
    const expiresIn = Number(body?.expires_in);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn)) {
      throw failed('answered without a token');
    }
    const headers = { authorization: `Bearer ${token}` };
    const refreshAt = options.clock.now().getTime() + expiresIn * 1000 - EARLY_REFRESH_MS;
    current = { headers, refreshAt };
    return headers;
  };

  return () => {
    if (current !== undefined && options.clock.now().getTime() < current.refreshAt) {
      return Promise.resolve(current.headers);
    }
    inFlight ??= refresh().finally(() => (inFlight = undefined));
    return inFlight;
  };
}

function failed(what: string): SpacelogError {
  return unavailable(`The metadata server ${what}.`);
}
