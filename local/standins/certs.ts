/**
 * Local stand-in of Google's public-key endpoints that Chat request tokens
 * are checked against, with rotation and outage controls:
 * - Chat system keys: `GET /service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com`
 *   (`{kid: certificate PEM}`) and `.../metadata/jwk/chat@system.gserviceaccount.com` (JWKS);
 * - Google's OAuth keys (ID tokens): `GET /oauth2/v1/certs` (`{kid: certificate PEM}`) and
 *   `GET /oauth2/v3/certs` (JWKS).
 * The token minters that sign with these keys are in `chat-tokens.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSigningKey, type SigningKey } from './keys.js';
import { CHAT_ISSUER, type MintKeys } from './chat-tokens.js';
import { googleError, listen, requestUrl, sendJson, type StandIn } from './standin.js';

export * from './chat-tokens.js';

const CHAT_X509_PATH = `/service_accounts/v1/metadata/x509/${CHAT_ISSUER}`;
const CHAT_JWK_PATH = `/service_accounts/v1/metadata/jwk/${CHAT_ISSUER}`;

/** Which key set: Chat's own (project-number tokens) or Google's OAuth keys (ID tokens). */
export type KeySetName = 'chat' | 'google';

/** Options of {@link startCerts}. */
export interface CertsOptions {
  /** `max-age` of the `Cache-Control` header; default 21600 (Google sends hours). */
  readonly maxAgeSeconds?: number;
  readonly port?: number;
}

/** The running certificate stand-in. Its current keys are what the minters sign with. */
export interface CertsStandIn extends StandIn, MintKeys {
  /** Current Chat system key (newest after {@link rotate}). */
  readonly chatKey: SigningKey;
  /** Current Google OAuth key: sign ID tokens with it (the OAuth stand-in does). */
  readonly googleKey: SigningKey;
  /** `${url}/service_accounts/v1/metadata/x509/chat@system.gserviceaccount.com`. */
  readonly chatCertsUrl: string;
  /** `${url}/service_accounts/v1/metadata/jwk/chat@system.gserviceaccount.com`. */
  readonly chatJwksUrl: string;
  /** `${url}/oauth2/v1/certs` (PEM certificates). */
  readonly googleCertsUrl: string;
  /** `${url}/oauth2/v3/certs` (JWKS). */
  readonly googleJwksUrl: string;
  /** Every key of a set that is still served, oldest first. */
  keys(which: KeySetName): readonly SigningKey[];
  /** Adds a new key (new kid) to the set and makes it current; old keys stay served. */
  rotate(which: KeySetName): SigningKey;
  /** Stops serving a key (a retired kid). */
  retire(which: KeySetName, kid: string): void;
  /** While true, every certificate endpoint answers 503. */
  setUnavailable(unavailable: boolean): void;
  /** Requests to certificate endpoints so far (503 answers included). */
  fetchCount(): number;
}

function pemMap(keys: readonly SigningKey[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key.kid, key.certificatePem]));
}

function jwks(keys: readonly SigningKey[]): { keys: Record<string, unknown>[] } {
  return {
    keys: keys.map((key) => {
      const { n, e } = key.publicKey.export({ format: 'jwk' });
      return { kty: 'RSA', alg: 'RS256', use: 'sig', kid: key.kid, n, e };
    }),
  };
}

/** Starts the certificate stand-in with one Chat key and one Google key. */
export async function startCerts(options: CertsOptions = {}): Promise<CertsStandIn> {
  const sets: Record<KeySetName, SigningKey[]> = {
    chat: [createSigningKey()],
    google: [createSigningKey()],
  };
  const cacheControl = `public, max-age=${options.maxAgeSeconds ?? 21600}, must-revalidate, no-transform`;
  let unavailable = false;
  let fetches = 0;

  const bodies: Record<string, () => unknown> = {
    [CHAT_X509_PATH]: () => pemMap(sets.chat),
    [CHAT_JWK_PATH]: () => jwks(sets.chat),
    '/oauth2/v1/certs': () => pemMap(sets.google),
    '/oauth2/v3/certs': () => jwks(sets.google),
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = decodeURIComponent(requestUrl(req).pathname);
    const body = req.method === 'GET' ? bodies[path] : undefined;
    if (!body) return googleError(res, 404, 'NOT_FOUND', 'Not found.');
    fetches += 1;
    if (unavailable) return googleError(res, 503, 'UNAVAILABLE', 'The service is unavailable.');
    sendJson(res, 200, body(), { 'cache-control': cacheControl });
  };

  const server = await listen(handler, options.port);
  const current = (which: KeySetName): SigningKey => {
    const key = sets[which].at(-1);
    if (!key) throw new Error(`No ${which} key is served.`);
    return key;
  };
  return {
    url: server.url,
    close: () => server.close(),
    get chatKey() {
      return current('chat');
    },
    get googleKey() {
      return current('google');
    },
    chatCertsUrl: server.url + CHAT_X509_PATH,
    chatJwksUrl: server.url + CHAT_JWK_PATH,
    googleCertsUrl: `${server.url}/oauth2/v1/certs`,
    googleJwksUrl: `${server.url}/oauth2/v3/certs`,
    keys: (which) => [...sets[which]],
    rotate(which) {
      const key = createSigningKey();
      sets[which].push(key);
      return key;
    },
    retire(which, kid) {
      sets[which] = sets[which].filter((key) => key.kid !== kid);
    },
    setUnavailable(value) {
      unavailable = value;
    },
    fetchCount: () => fetches,
  };
}
