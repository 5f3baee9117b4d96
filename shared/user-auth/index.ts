/**
 * User sign-in, assembled: from the settings and the shared collaborators it
 * builds the stores, the token endpoint client, the cipher and the pieces
 * other code uses (the `UserTokens` provider for the Chat client's user mode,
 * the gate features ask, the `oauthCallback` handler, sign-out). Builds only:
 * nothing is read or fetched until first use.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import { SETTINGS, type Config } from '../config.js';
import { misconfigured } from '../errors.js';
import type { EventStore } from '../eventlog/index.js';
import type { Logger } from '../log.js';
import type { UserTokens } from '../outbound/credentials.js';
import type { SecretReader } from '../secrets.js';
import type { FeatureId } from '../scopes/features.js';
import { createCallbackHandler } from './callback.js';
import { createUserAuthGate, featuresInUse, type UserAuthGate } from './gate.js';
import { firestoreGrantStore, type GrantStore } from './grant-store.js';
import { signOut, type GrantDeps } from './grants.js';
import { createIdTokenVerifier } from './id-token.js';
import { firestoreLeaseStore } from './lease.js';
import { createSignInStarter, type SignInStarter } from './sign-in.js';
import { firestoreStateStore } from './state-store.js';
import { createTokenCipher, type TokenKeys } from './token-cipher.js';
import { createTokenEndpoint, type ClientSecret, type TokenEndpoint } from './token-endpoint.js';
import type { SecretVersionAccess } from '../secrets.js';
import { secretTokenKeys } from './token-keys.js';
import { createUserTokens } from './user-tokens.js';

export {
  acknowledgeIncident,
  gateReply,
  myspacesHandler,
  signoutHandler,
  withUserGrant,
} from './commands.js';
export type { AcknowledgeInput, AcknowledgeOutcome, UserFeatureDeps } from './commands.js';
export {
  featuresInUse,
  featuresOffByDecline,
  offNotice,
  type GateResult,
  type UserAuthGate,
} from './gate.js';
export { isSignInRequired, noUserTokens, signInRequired } from './user-tokens.js';
export type { UserTokens } from '../outbound/credentials.js';
export { secretManagerVersionAccess, type SecretVersionAccess } from '../secrets.js';

/** The settings user sign-in reads. */
export type UserAuthConfig = Pick<
  Config,
  | 'projectId'
  | 'oauthAuthUrl'
  | 'oauthTokenUrl'
  | 'oauthRevokeUrl'
  | 'googleCertsUrl'
  | 'oauthClientId'
  | 'oauthRedirectUrl'
  | 'oauthStateTtlSeconds'
  | 'oauthClientSecretSecret'
  | 'tokenEncryptionKeySecret'
  | 'chatRedirectOrigins'
  | 'userTokenRefreshMarginSeconds'
  | 'userTokenLeaseSeconds'
  | 'incidentSpaceMode'
>;

/** The shared collaborators user sign-in is built from. */
export interface UserAuthDeps {
  readonly db: Firestore;
  readonly secrets: SecretReader;
  /** Secret versions with their names (for key ids); `secretManagerVersionAccess` in production. */
  readonly secretVersions: SecretVersionAccess;
  readonly events: EventStore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Replaces the Secret Manager keys (tests). */
  readonly tokenKeys?: TokenKeys;
}

/** User sign-in, built. */
export interface UserAuth {
  readonly userTokens: UserTokens;
  readonly gate: UserAuthGate;
  readonly signIn: SignInStarter;
  readonly grants: GrantStore;
  readonly endpoint: TokenEndpoint;
  readonly featuresInUse: readonly FeatureId[];
  /** `/signout`: revoke at Google and delete; false when there was no grant. */
  readonly signOut: (userId: string, interactionId: string) => Promise<boolean>;
  /** The `oauthCallback` HTTP handler. */
  readonly callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** The OAuth client secret as a {@link ClientSecret}, read through the cached reader. */
export function clientSecretFrom(secrets: SecretReader, name: string): ClientSecret {
  return {
    get: async () => (await secrets.read(name)).trim(),
    invalidate: () => secrets.invalidate(name),
  };
}

/** Builds user sign-in. Throws a start-up error naming a missing required setting. */
export function createUserAuth(config: UserAuthConfig, deps: UserAuthDeps): UserAuth {
  const clientId = needed(config.oauthClientId, 'oauthClientId');
  const redirectUrl = needed(config.oauthRedirectUrl, 'oauthRedirectUrl');
  const logger = deps.logger.child({ component: 'user-auth' });

  const grants = firestoreGrantStore(deps.db);
  const states = firestoreStateStore(deps.db);
  const keys =
    deps.tokenKeys ??
    secretTokenKeys({
      projectId: config.projectId,
      secret: config.tokenEncryptionKeySecret,
      access: deps.secretVersions,
      clock: deps.clock,
    });
  const endpoint = createTokenEndpoint({
    tokenUrl: config.oauthTokenUrl,
    revokeUrl: config.oauthRevokeUrl,
    clientId,
    clientSecret: clientSecretFrom(deps.secrets, config.oauthClientSecretSecret),
  });
  const grantDeps: GrantDeps = {
    grants,
    cipher: createTokenCipher(keys),
    events: deps.events,
    clock: deps.clock,
    logger,
  };

  const signIn = createSignInStarter({
    authUrl: config.oauthAuthUrl,
    clientId,
    redirectUrl,
    stateTtlSeconds: config.oauthStateTtlSeconds,
    chatRedirectOrigins: config.chatRedirectOrigins,
    states,
    clock: deps.clock,
  });
  const inUse = featuresInUse(config);

  return {
    grants,
    endpoint,
    signIn,
    featuresInUse: inUse,
    userTokens: createUserTokens({
      ...grantDeps,
      endpoint,
      leases: firestoreLeaseStore(deps.db),
      refreshMarginSeconds: config.userTokenRefreshMarginSeconds,
      leaseSeconds: config.userTokenLeaseSeconds,
    }),
    gate: createUserAuthGate({ grants, signIn, featuresInUse: inUse, logger }),
    signOut: (userId, interactionId) => signOut({ ...grantDeps, endpoint }, userId, interactionId),
    callback: createCallbackHandler({
      ...grantDeps,
      states,
      endpoint,
      idTokens: createIdTokenVerifier({ clientId, certsUrl: config.googleCertsUrl }),
      redirectUrl,
      chatRedirectOrigins: config.chatRedirectOrigins,
    }),
  };
}

function needed(value: string | undefined, key: 'oauthClientId' | 'oauthRedirectUrl'): string {
  if (value !== undefined && value !== '') return value;
  const { env, accepts } = SETTINGS[key];
  throw misconfigured(`Setting ${env} is required for user sign-in: it accepts ${accepts}.`, {
    setting: env,
  });
}
