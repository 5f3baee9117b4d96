/**
 * Google's public signing keys, fetched from a certificate URL, parsed once
 * into `KeyObject`s and cached for the response's `Cache-Control: max-age`.
 * An unknown key id triggers a refetch, at most once per `refetchIntervalMs`
 * (an attacker sending random `kid`s cannot make us hammer Google), and
 * concurrent fetches share one request. When a refresh fails, keys past
 * their age are still used for `staleIfErrorMs`; with no usable keys the
 * caller gets `unavailable` (503), never a refusal.
 *
 * Both body shapes Google serves are read: `{kid: "-----BEGIN CERTIFICATE..."}`
 * (the x509 endpoints, `oauth2/v1/certs`) and JWKS `{keys: [...]}` (`oauth2/v3/certs`).
 */
import { createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import { lightFetch, type FetchLike } from '../http/client.js';
import { keysUnavailable } from './refusal.js';

export type { FetchLike } from '../http/client.js';

/** Looks up a signing key by id. */
export interface KeySource {
  /** The key, or undefined when the id is unknown even after an allowed refetch. */
  key(kid: string): Promise<KeyObject | undefined>;
  /** The key when fresh keys hold it, at once; otherwise undefined, and `key` decides. */
  fresh?(kid: string): KeyObject | undefined;
}

/** Options of {@link createKeyCache}. */
export interface KeyCacheOptions {
  readonly url: string;
  readonly clock: Clock;
  readonly fetch?: FetchLike;
  /** Least time between two fetches caused by unknown key ids. Default 15 s. */
  readonly refetchIntervalMs?: number;
  /** After a failed fetch, no new attempt for this long. Default 1 s. */
  readonly retryAfterFailureMs?: number;
  /** Keys past their max-age still serve this long while refreshes fail. Default 1 h. */
  readonly staleIfErrorMs?: number;
  /** Timeout of one fetch. Default 5 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_MAX_AGE_S = 300;
const LONGEST_MAX_AGE_S = 86_400;

interface KeySet {
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly fetchedAt: number;
  readonly expiresAt: number;
}

/** A key source backed by one certificate URL. */
export function createKeyCache(options: KeyCacheOptions): KeySource {
  const fetchImpl: FetchLike = options.fetch ?? lightFetch;
  const refetchInterval = options.refetchIntervalMs ?? 15_000;
  const retryAfterFailure = options.retryAfterFailureMs ?? 1_000;
  const staleIfError = options.staleIfErrorMs ?? 3_600_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const now = () => options.clock.now().getTime();

  let current: KeySet | undefined;
  let inFlight: Promise<KeySet> | undefined;
  let lastFailureAt = Number.NEGATIVE_INFINITY;

  const refresh = (): Promise<KeySet> => {
    inFlight ??= download(options.url, fetchImpl, timeoutMs, now)
      .then((set) => (current = set))
      .catch((err: unknown) => {
        lastFailureAt = now();
        throw keysUnavailable(options.url, err);
      })
      .finally(() => (inFlight = undefined));
    return inFlight;
  };

  /** The keys, while within their max-age. */
  const freshSet = (t: number) =>
    current !== undefined && t < current.expiresAt ? current : undefined;

  // Fresh keys, or a refresh; when the refresh fails, keys within their stale window.
  const usable = async (): Promise<KeySet> => {
    const t = now();
    const fresh = freshSet(t);
    if (fresh !== undefined) return fresh;
    const stale =
      current !== undefined && t < current.expiresAt + staleIfError ? current : undefined;
    if (t - lastFailureAt < retryAfterFailure) {
      if (stale) return stale;
      throw keysUnavailable(options.url);
    }
    try {
      return await refresh();
    } catch (err) {
      if (stale) return stale;
      throw err;
    }
  };

  return {
    fresh(kid) {
      return freshSet(now())?.keys.get(kid);
    },

    async key(kid) {
      const set = await usable();
      const found = set.keys.get(kid);
      if (found !== undefined || now() - set.fetchedAt < refetchInterval) return found;
      if (now() - lastFailureAt < retryAfterFailure) throw keysUnavailable(options.url);
      return (await refresh()).keys.get(kid);
    },
  };
}

async function download(
  url: string,
  fetchImpl: FetchLike,
  timeoutMs: number,
  now: () => number,
): Promise<KeySet> {
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`certificate endpoint answered ${response.status}`);
  const body: unknown = await response.json();
  const keys = parseKeys(body);
  if (keys.size === 0) throw new Error('certificate endpoint served no usable key');
  const fetchedAt = now();
  const maxAge = maxAgeSeconds(response.headers.get('cache-control'));
  return { keys, fetchedAt, expiresAt: fetchedAt + maxAge * 1000 };
}

/** Reads `max-age` from a Cache-Control value; a default when absent, capped at a day. */
export function maxAgeSeconds(cacheControl: string | null): number {
  const match = /(?:^|[\s,])max-age=(\d+)/i.exec(cacheControl ?? '');
  if (match?.[1] === undefined) return DEFAULT_MAX_AGE_S;
  return Math.min(Number(match[1]), LONGEST_MAX_AGE_S);
}

/** Parses either body shape into RSA public keys by id; entries that do not parse are skipped. */
export function parseKeys(body: unknown): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  if (typeof body !== 'object' || body === null) return keys;
  const jwks = (body as { keys?: unknown }).keys;
  const entries: [string, unknown][] = Array.isArray(jwks)
    ? jwks.map((jwk: unknown) => {
        const kid = (jwk as { kid?: unknown } | null)?.kid;
        return [typeof kid === 'string' ? kid : '', jwk];
      })
    : Object.entries(body);
  for (const [kid, material] of entries) {
    const key = publicKeyOf(material);
    if (kid !== '' && key?.asymmetricKeyType === 'rsa') keys.set(kid, key);
  }
  return keys;
}

function publicKeyOf(material: unknown): KeyObject | undefined {
  try {
    if (typeof material === 'string') return new X509Certificate(material).publicKey;
    if (typeof material === 'object' && material !== null) {
      return createPublicKey({ key: material as JsonWebKey, format: 'jwk' });
    }
  } catch {
    // An entry that does not parse is skipped; the others still serve.
  }
  return undefined;
}
