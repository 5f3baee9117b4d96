/**
 * The local world of the outbound integration tests: the certificate, OAuth,
 * Secret Manager and Chat API stand-ins on loopback, the app's
 * service-account key in Secret Manager, and `createOutbound` built from
 * configuration exactly as a function builds it.
 */
import { startCerts, type CertsStandIn } from '../../local/standins/certs.js';
import {
  startChatApi,
  type ChatApiOptions,
  type ChatApiStandIn,
} from '../../local/standins/chat-api.js';
import { createServiceAccountKey, type ServiceAccountKey } from '../../local/standins/keys.js';
import { startOAuth, type OAuthStandIn } from '../../local/standins/oauth.js';
import {
  startSecretManager,
  type SecretManagerStandIn,
} from '../../local/standins/secret-manager.js';
import { loadConfig, type Config } from '../../shared/config.js';
import { createRuntimeAuth } from '../../shared/google-auth.js';
import { silentLogger } from '../../shared/log.js';
import { createOutbound, type Outbound, type OutboundDeps } from '../../shared/outbound/index.js';
import { createSecretReader, type SecretReader } from '../../shared/secrets.js';

/** A Chat user of the tests, known to the OAuth and Chat stand-ins. */
export const ALICE = { id: '300000000000000000001', email: 'alice@outbound.test' };
export const BOB = { id: '300000000000000000002', email: 'bob@outbound.test' };
export const KEY_SECRET = 'spacelog-chat-sa-key';

/** Everything a test needs. */
export interface OutboundWorld {
  readonly certs: CertsStandIn;
  readonly oauth: OAuthStandIn;
  readonly secretManager: SecretManagerStandIn;
  readonly chat: ChatApiStandIn;
  /** The key the secret's first version holds, registered with delegation allowed. */
  readonly key: ServiceAccountKey;
  readonly config: Config;
  /** One "instance": its own secret cache, credentials and pacer. */
  instance(overrides?: Partial<OutboundDeps>, env?: Record<string, string>): Instance;
  /** A new space with the app and Alice in it. */
  space(): string;
  close(): Promise<void>;
}

/** What one instance built. */
export interface Instance extends Outbound {
  readonly secrets: SecretReader;
  readonly config: Config;
}

/** Starts the world; `env` overrides settings (the stand-ins' URLs are set here). */
export async function startOutboundWorld(
  projectId: string,
  env: Record<string, string> = {},
  chatOptions: Omit<ChatApiOptions, 'oauthUrl'> = {},
): Promise<OutboundWorld> {
  const certs = await startCerts();
  const oauth = await startOAuth({ googleKey: () => certs.googleKey, users: [ALICE, BOB] });
  const secretManager = await startSecretManager({ projectId });
  // Token answers are not cached, so an expired or revoked token is seen at once.
  const chat = await startChatApi({ oauthUrl: oauth.url, tokenCacheMs: 0, ...chatOptions });
  for (const user of [ALICE, BOB]) chat.addUser({ name: `users/${user.id}`, email: user.email });

  const key = createServiceAccountKey(`app@${projectId}.iam.gserviceaccount.com`, projectId);
  oauth.registerServiceAccount({ ...key, delegation: true });
  secretManager.addVersion(KEY_SECRET, JSON.stringify(key.json));

  const settings = (extra: Record<string, string>) =>
    loadConfig({
      GOOGLE_CLOUD_PROJECT: projectId,
      RUNTIME_CREDENTIALS: 'none-local-only',
      CHAT_API_URL: chat.url,
      OAUTH_TOKEN_URL: oauth.tokenUrl,
      SECRET_MANAGER_URL: secretManager.url,
      SERVICE_ACCOUNT_KEY_SECRET: KEY_SECRET,
      CHAT_API_TIMEOUT_MS: '2000',
      CHAT_API_DEADLINE_MS: '30000',
      ...env,
      ...extra,
    });
  const config = settings({});
  let spaces = 0;

  return {
    certs,
    oauth,
    secretManager,
    chat,
    key,
    config,
    instance(overrides = {}, extra = {}) {
      const own = settings(extra);
      const secrets = createSecretReader(own, createRuntimeAuth(own));
      const outbound = createOutbound(own, { secrets, logger: silentLogger, ...overrides });
      return { ...outbound, secrets, config: own };
    },
    space() {
      spaces += 1;
      const created = chat.addSpace({
        name: `spaces/OUT${spaces}${Date.now().toString(36)}`,
        displayName: `Space ${spaces}`,
        members: [`users/${ALICE.id}`],
      });
      return created.name ?? '';
    },
    async close() {
      await Promise.all([chat.close(), secretManager.close(), oauth.close(), certs.close()]);
    },
  };
}
