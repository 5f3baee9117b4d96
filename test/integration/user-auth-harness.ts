/**
 * The local world of the user sign-in integration tests: the certificate,
 * OAuth and Secret Manager stand-ins, Firestore (emulator, one project per
 * test file), the `oauthCallback` handler on a real socket, and helpers that
 * play the browser (consent page decisions, following redirects by hand).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Firestore } from '@google-cloud/firestore';
import { startCerts, type CertsStandIn } from '../../local/standins/certs.js';
import { startOAuth, type OAuthStandIn } from '../../local/standins/oauth.js';
import {
  startSecretManager,
  type SecretManagerStandIn,
} from '../../local/standins/secret-manager.js';
import { manualClock } from '../../shared/clock.js';
import { loadConfig, type Config } from '../../shared/config.js';
import { createMemoryEventStore, type MemoryEventStore } from '../../shared/eventlog/index.js';
import { createFirestore } from '../../shared/firestore.js';
import { createRuntimeAuth } from '../../shared/google-auth.js';
import { silentLogger } from '../../shared/log.js';
import { createSecretReader } from '../../shared/secrets.js';
import {
  createUserAuth,
  secretManagerVersionAccess,
  type UserAuth,
} from '../../shared/user-auth/index.js';

/** Chat users of the tests (numeric ids as in `users/{id}`), and one Google account that is none. */
export const ALICE = { id: '100000000000000000001', email: 'alice@example.test' };
export const BOB = { id: '100000000000000000002', email: 'bob@example.test' };
export const OUTSIDER = { id: '100000000000000000009', email: 'someone@elsewhere.test' };
/** More Chat users, one per test that needs a fresh one. */
export const MORE_USERS = [3, 4, 5, 6, 7, 8].map((n) => ({
  id: `10000000000000000000${n}`,
  email: `user${n}@example.test`,
}));
export const CHAT_REDIRECT = 'https://chat.google.com/api/bot_config_complete?token=abc';

const CLIENT_ID = 'spacelog-test.apps.googleusercontent.test';
const CLIENT_SECRET = 'client-secret-for-tests';
export const KEY_SECRET = 'spacelog-token-key';

/** Everything a test needs. */
export interface World {
  readonly certs: CertsStandIn;
  readonly oauth: OAuthStandIn;
  readonly secretManager: SecretManagerStandIn;
  readonly db: Firestore;
  readonly config: Config;
  readonly clock: ReturnType<typeof manualClock>;
  readonly events: MemoryEventStore;
  readonly callbackUrl: string;
  /** The key the token key secret holds (base64), as Secret Manager serves it. */
  readonly tokenKeyBase64: string;
  /** The user sign-in of one "instance"; {@link newInstance} makes more. */
  readonly auth: UserAuth;
  newInstance(): UserAuth;
  close(): Promise<void>;
}

/** Starts the world; `projectId` keeps this file's Firestore data apart. */
export async function startWorld(projectId: string): Promise<World> {
  const certs = await startCerts();
  const oauth = await startOAuth({
    googleKey: () => certs.googleKey,
    users: [ALICE, BOB, OUTSIDER, ...MORE_USERS],
  });
  const secretManager = await startSecretManager();
  const tokenKeyBase64 = randomBytes(32).toString('base64');
  secretManager.addVersion(KEY_SECRET, tokenKeyBase64);
  secretManager.addVersion('spacelog-oauth-client-secret', CLIENT_SECRET);

  // The handler is built after the server, which must listen first to know its URL.
  const route: { handler?: UserAuth['callback'] } = {};
  const server: Server = createServer((req, res) => {
    void route.handler?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const callbackUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/oauthCallback`;
  oauth.clients.push({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUris: [callbackUrl],
  });

  const config = loadConfig({
    ...process.env,
    GOOGLE_CLOUD_PROJECT: projectId,
    RUNTIME_CREDENTIALS: 'none-local-only',
    OAUTH_AUTH_URL: oauth.authUrl,
    OAUTH_TOKEN_URL: oauth.tokenUrl,
    OAUTH_REVOKE_URL: oauth.revokeUrl,
    GOOGLE_CERTS_URL: certs.googleCertsUrl,
    SECRET_MANAGER_URL: secretManager.url,
    OAUTH_CLIENT_ID: CLIENT_ID,
    OAUTH_REDIRECT_URL: callbackUrl,
    TOKEN_ENCRYPTION_KEY_SECRET: KEY_SECRET,
    INCIDENT_SPACE_MODE: 'user',
  });
  const db = createFirestore(config);
  const clock = manualClock(new Date());
  const events = createMemoryEventStore({ clock });

  const newInstance = (): UserAuth => {
    const runtimeAuth = createRuntimeAuth(config);
    return createUserAuth(config, {
      db,
      secrets: createSecretReader(config, runtimeAuth),
      secretVersions: secretManagerVersionAccess({
        url: config.secretManagerUrl,
        auth: runtimeAuth,
      }),
      events,
      clock,
      logger: silentLogger,
    });
  };
  const auth = newInstance();
  route.handler = auth.callback;

  return {
    certs,
    oauth,
    secretManager,
    db,
    config,
    clock,
    events,
    callbackUrl,
    tokenKeyBase64,
    auth,
    newInstance,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([certs.close(), oauth.close(), secretManager.close()]);
      await db.terminate();
    },
  };
}

/** How the user answers the consent page. */
export interface Consent {
  /** The account that signs in. */
  readonly as: { readonly id: string };
  /** Scopes left ticked (default: all asked for). */
  readonly granted?: readonly string[];
  readonly decision?: 'allow' | 'deny';
}

/** Answers the consent page for `authorizationUrl`; returns where Google sends the browser. */
export async function consent(authorizationUrl: string, answer: Consent): Promise<string> {
  const asked = new URL(authorizationUrl);
  const form = new URLSearchParams(asked.searchParams);
  form.set('user', answer.as.id);
  form.set('decision', answer.decision ?? 'allow');
  const scopes = answer.granted ?? (asked.searchParams.get('scope') ?? '').split(' ');
  for (const s of scopes) form.append('granted', s);
  const res = await fetch(new URL('/auth/decide', asked), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const location = res.headers.get('location');
  if (res.status !== 302 || location === null) throw new Error(`consent answered ${res.status}`);
  return location;
}

/** What the callback answered. */
export interface CallbackAnswer {
  readonly status: number;
  readonly location: string | null;
  readonly body: string;
}

/** Visits the callback URL as the browser would, without following the redirect. */
export async function visit(url: string): Promise<CallbackAnswer> {
  const res = await fetch(url, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

/** `users/{id}` of a test account. */
export const chatUser = (account: { readonly id: string }): string => `users/${account.id}`;

/** The consent page URL `account` is sent to on using `/myspaces` without a grant. */
export async function signInUrl(
  world: World,
  account: { readonly id: string; readonly email: string },
): Promise<string> {
  const result = await world.auth.gate({
    userId: chatUser(account),
    email: account.email,
    chatRedirectUrl: CHAT_REDIRECT,
    feature: 'myspaces',
  });
  if (result.kind !== 'sign-in') throw new Error(`expected a sign-in, got ${result.kind}`);
  return result.authorizationUrl;
}

/** The raw grant document of a user, or undefined. */
export async function grantDoc(
  world: World,
  account: { readonly id: string },
): Promise<Record<string, unknown> | undefined> {
  const snap = await world.db.collection('userGrants').doc(account.id).get();
  return snap.exists ? snap.data() : undefined;
}
