/**
 * Starts the stand-ins of Google's endpoints and seeds them with the demo
 * world: certificates (Chat's and Google's signing keys), OAuth (demo people,
 * the OAuth client, the app's service-account key), Secret Manager (that key,
 * the token-encryption key, the client secret) and the Chat API (people and
 * spaces).
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../shared/config.js';
import { startCerts, type CertsStandIn } from '../standins/certs.js';
import { startChatApi, type ChatApiStandIn } from '../standins/chat-api.js';
import { createServiceAccountKey } from '../standins/keys.js';
import { startOAuth, type OAuthStandIn } from '../standins/oauth.js';
import { startSecretManager, type SecretManagerStandIn } from '../standins/secret-manager.js';
import {
  DEMO_OAUTH_CLIENT_ID,
  DEMO_PROJECT,
  DEMO_SERVICE_ACCOUNT,
  DEMO_SPACES,
  DEMO_USERS,
  userName,
} from './demo.js';

/** The running stand-ins. */
export interface StandIns {
  readonly certs: CertsStandIn;
  readonly oauth: OAuthStandIn;
  readonly secrets: SecretManagerStandIn;
  readonly chat: ChatApiStandIn;
  /** The app's service-account key file, as stored in Secret Manager. */
  readonly serviceAccountKey: ReturnType<typeof createServiceAccountKey>;
  close(): Promise<void>;
}

/** Secret names the stand-ins are seeded under (the configured ones). */
export type SecretNames = Pick<
  Config,
  'serviceAccountKeySecret' | 'tokenEncryptionKeySecret' | 'oauthClientSecretSecret'
>;

/** Starts and seeds every stand-in; `redirectUri` is the oauthCallback function's URL. */
export async function startStandIns(options: {
  readonly redirectUri: string;
  readonly secretNames: SecretNames;
}): Promise<StandIns> {
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    await Promise.all(started.reverse().map((s) => s.close()));
  };
  try {
    const certs = await startCerts();
    started.push(certs);
    const clientSecret = randomBytes(24).toString('base64url');
    const oauth = await startOAuth({
      googleKey: () => certs.googleKey,
      users: DEMO_USERS.map((u) => ({ id: u.id, email: u.email, domain: 'example.com' })),
      clients: [
        { clientId: DEMO_OAUTH_CLIENT_ID, clientSecret, redirectUris: [options.redirectUri] },
      ],
    });
    started.push(oauth);

    const serviceAccountKey = createServiceAccountKey(DEMO_SERVICE_ACCOUNT, DEMO_PROJECT.id);
    oauth.registerServiceAccount(serviceAccountKey);
    const secrets = await startSecretManager({
      projectId: DEMO_PROJECT.id,
      projectNumber: DEMO_PROJECT.number,
    });
    started.push(secrets);
    const names = options.secretNames;
    secrets.addVersion(names.serviceAccountKeySecret, JSON.stringify(serviceAccountKey.json));
    secrets.addVersion(names.tokenEncryptionKeySecret, randomBytes(32).toString('base64'));
    secrets.addVersion(names.oauthClientSecretSecret, clientSecret);

    const chat = await startChatApi({ oauthUrl: oauth.url });
    started.push(chat);
    for (const user of DEMO_USERS) {
      chat.addUser({ name: userName(user), displayName: user.displayName, email: user.email });
    }
    for (const space of DEMO_SPACES) chat.addSpace(space);

    return { certs, oauth, secrets, chat, serviceAccountKey, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
