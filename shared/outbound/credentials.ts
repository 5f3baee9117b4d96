/**
 * Access tokens for Chat API calls. The app's own tokens (plain, with
 * administrator-approved scopes, or delegated to a user) come from the
 * service-account key held in Secret Manager: the key is read once per
 * instance, and one token client per credential (scopes and subject) lives as
 * long as the instance, so tokens are minted about once an hour each. When
 * the token endpoint refuses the key (`invalid_grant`: the key was rotated or
 * revoked), the secret is read again, the clients rebuilt and the token asked
 * for once more. Users' own tokens come from a pluggable {@link UserTokens}.
 */
import type { Clock } from '../clock.js';
import { SpacelogError } from '../errors.js';
import type { Logger } from '../log.js';
import type { SecretReader } from '../secrets.js';
import { CHAT_BOT_SCOPE, type ResolvedAuth } from './auth-table.js';

/** Tokens of signed-in users, implemented by the user sign-in code. */
export interface UserTokens {
  /**
   * A live access token of `userId` (`users/ID`) that carries `scopes`.
   * Throws a coded error (`forbidden` when the user has not granted them).
   * `fresh` asks for a new token because the Chat API refused the last one.
   */
  accessToken(
    userId: string,
    scopes: readonly string[],
    options?: { readonly fresh?: boolean },
  ): Promise<string>;
}

/** Access tokens for the credential a call resolved to. */
export interface TokenSource {
  /** A token for `auth`; `fresh` drops the cached one first (after a 401). */
  accessToken(auth: ResolvedAuth, options?: { readonly fresh?: boolean }): Promise<string>;
}

/** The fields of a service-account key file that signing needs. */
export interface ServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
  readonly private_key_id?: string;
}

/** One credential's token client: caches its token until near expiry. */
export interface TokenClient {
  token(): Promise<string>;
  /** Forgets the cached token, so the next `token()` mints one. */
  drop(): void;
}

/** Makes the token client of one credential; `subject` set for delegation. */
export type TokenClientFactory = (
  key: ServiceAccountKey,
  scopes: readonly string[],
  subject: string | undefined,
) => TokenClient;

/** Options of {@link createChatCredentials}. */
export interface ChatCredentialsOptions {
  readonly secrets: SecretReader;
  /** `SERVICE_ACCOUNT_KEY_SECRET`. */
  readonly keySecret: string;
  /** `SERVICE_ACCOUNT_KEY_VERSION`: `latest` or a number. */
  readonly keyVersion: string;
  readonly clients: TokenClientFactory;
  /** Absent until user sign-in exists: calls as a user then fail as misconfigured. */
  readonly userTokens?: UserTokens;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Least time between two re-reads of the key after refusals (default 60 s). */
  readonly minRereadIntervalMs?: number;
}

interface KeyGeneration {
  /** Read on first use; cleared when the read fails, so the next call reads again. */
  key?: Promise<ServiceAccountKey>;
  readonly clients: Map<string, Promise<TokenClient>>;
}

/** The Chat app's token source. */
export function createChatCredentials(options: ChatCredentialsOptions): TokenSource {
  const minReread = options.minRereadIntervalMs ?? 60_000;
  const load = (): KeyGeneration => ({ clients: new Map() });
  let current = load();

  const keyOf = (generation: KeyGeneration): Promise<ServiceAccountKey> => {
    if (generation.key) return generation.key;
    const reading = readKey(options);
    generation.key = reading;
    reading.catch(() => {
      if (generation.key === reading) delete generation.key;
    });
    return reading;
  };
  let lastReread = -Infinity;

  const clientFor = (generation: KeyGeneration, auth: ResolvedAuth): Promise<TokenClient> => {
    const subject = auth.mode === 'delegated' ? auth.subject : undefined;
    const id = `${subject ?? ''} ${[...auth.scopes].sort().join(' ')}`;
    const existing = generation.clients.get(id);
    if (existing) return existing;
    const making = keyOf(generation).then((key) => options.clients(key, auth.scopes, subject));
    generation.clients.set(id, making);
    // A failed key read leaves no client behind: the next call tries again.
    making.catch(() => {
      if (generation.clients.get(id) === making) generation.clients.delete(id);
    });
    return making;
  };

  const reread = (refused: KeyGeneration): KeyGeneration => {
    // Concurrent refusals of the same key share one re-read.
    if (current !== refused) return current;
    const now = options.clock.now().getTime();
    if (now - lastReread < minReread) return current;
    lastReread = now;
    options.secrets.invalidate(options.keySecret);
    current = load();
    options.logger.warn('Token endpoint refused the service-account key; reading it again.', {
      secret: options.keySecret,
    });
    return current;
  };

  const appToken = async (auth: ResolvedAuth, fresh: boolean): Promise<string> => {
    const generation = current;
    try {
      const client = await clientFor(generation, auth);
      if (fresh) client.drop();
      return await client.token();
    } catch (err) {
      if (!isInvalidGrant(err)) throw tokenError(err, auth, options.keySecret);
      const next = reread(generation);
      if (next === generation) throw tokenError(err, auth, options.keySecret);
      try {
        return await (await clientFor(next, auth)).token();
      } catch (again) {
        throw tokenError(again, auth, options.keySecret);
      }
    }
  };

  return {
    async accessToken(auth, { fresh = false } = {}) {
      if (auth.mode === 'user') {
        if (!options.userTokens) {
          throw new SpacelogError(
            'misconfigured',
            'This call needs a signed-in user, and user sign-in is not set up.',
          );
        }
        return options.userTokens.accessToken(auth.userId, auth.scopes, { fresh });
      }
      if (auth.mode === 'delegated' && auth.scopes.includes(CHAT_BOT_SCOPE)) {
        throw new SpacelogError('misconfigured', 'chat.bot is never delegated to a user.');
      }
      return appToken(auth, fresh);
    },
  };
}

async function readKey(options: ChatCredentialsOptions): Promise<ServiceAccountKey> {
  const text = await options.secrets.read(options.keySecret, options.keyVersion);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const key = parsed as Partial<ServiceAccountKey> | undefined;
  if (typeof key?.client_email !== 'string' || typeof key.private_key !== 'string') {
    throw new SpacelogError(
      'misconfigured',
      `Secret ${options.keySecret} does not hold a service-account key file (JSON with client_email and private_key).`,
      { secret: options.keySecret },
    );
  }
  return {
    client_email: key.client_email,
    private_key: key.private_key,
    ...(typeof key.private_key_id === 'string' && { private_key_id: key.private_key_id }),
  };
}

/** The OAuth error code of a token endpoint refusal (`invalid_grant`, ...), if any. */
export function oauthErrorOf(err: unknown): string | undefined {
  const data = (err as { response?: { data?: { error?: unknown } } } | null)?.response?.data;
  if (typeof data?.error === 'string') return data.error;
  const message = (err as { message?: unknown } | null)?.message;
  const match =
    typeof message === 'string' ? /^(invalid_\w+|unauthorized_client)\b/.exec(message) : null;
  return match?.[1];
}

function isInvalidGrant(err: unknown): boolean {
  return oauthErrorOf(err) === 'invalid_grant';
}

function tokenError(err: unknown, auth: ResolvedAuth, keySecret: string): SpacelogError {
  if (err instanceof SpacelogError) return err;
  const oauth = oauthErrorOf(err);
  const details = { secret: keySecret, mode: auth.mode, oauthError: oauth };
  const status = (err as { response?: { status?: unknown } } | null)?.response?.status;
  if (oauth === 'invalid_grant') {
    return new SpacelogError(
      'misconfigured',
      `The token endpoint refused the service-account key in secret ${keySecret} (invalid_grant); ` +
        'it is read again at most once a minute: add a valid key version.',
      details,
    );
  }
  if (oauth === 'unauthorized_client' || oauth === 'access_denied') {
    return new SpacelogError(
      'forbidden',
      `The token endpoint refused ${auth.mode} credentials for scopes ${auth.scopes.join(' ')}: ` +
        'grant them to the service account (domain-wide delegation or administrator approval).',
      details,
    );
  }
  if (oauth !== undefined) {
    return new SpacelogError(
      'misconfigured',
      `The token endpoint refused the request (${oauth}).`,
      details,
    );
  }
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 429) {
    return new SpacelogError('misconfigured', `The token endpoint answered ${status}.`, details);
  }
  return new SpacelogError(
    'unavailable',
    'The token endpoint could not be reached; try again later.',
    details,
  );
}
