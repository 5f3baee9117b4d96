/**
 * User sign-in built from configuration, with Secret Manager reached as the
 * runtime itself. Kept apart from the Chat wiring so `oauthCallback` loads
 * only what it needs.
 */
import type { Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { EventStore } from '../eventlog/index.js';
import { createRuntimeAuth } from '../google-auth.js';
import type { Logger } from '../log.js';
import { createSecretReader } from '../secrets.js';
import { createUserAuth, type UserAuth, type UserAuthConfig } from './index.js';
import { secretManagerVersionAccess } from '../secrets.js';

/** The shared collaborators the wiring builds on. */
export interface UserAuthWiringDeps {
  readonly db: Firestore;
  readonly events: EventStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Builds user sign-in with Secret Manager reached as the runtime itself. */
export function userAuthFromConfig(
  config: UserAuthConfig & Pick<Config, 'secretManagerUrl' | 'runtimeCredentials'>,
  deps: UserAuthWiringDeps,
): UserAuth {
  const runtimeAuth = createRuntimeAuth(config);
  return createUserAuth(config, {
    ...deps,
    secrets: createSecretReader(config, runtimeAuth),
    secretVersions: secretManagerVersionAccess({ url: config.secretManagerUrl, auth: runtimeAuth }),
  });
}
