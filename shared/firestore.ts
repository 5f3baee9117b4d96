/**
 * Builds the Firestore client every function shares. REST transport
 * (`preferRest`) keeps gRPC out of the process, which shortens cold starts.
 */
import { Firestore } from '@google-cloud/firestore';
import { OAuth2Client } from 'google-auth-library';
import type { Config } from './config.js';

/**
 * A Firestore client for this configuration. Against the emulator the REST
 * transport still asks for credentials, so it gets the emulator's
 * conventional `owner` token instead of looking for real ones.
 */
export function createFirestore(
  config: Pick<Config, 'projectId' | 'firestoreDatabase' | 'firestoreEmulatorHost'>,
): Firestore {
  const settings: ConstructorParameters<typeof Firestore>[0] & { authClient?: OAuth2Client } = {
    projectId: config.projectId,
    databaseId: config.firestoreDatabase,
    preferRest: true,
    ignoreUndefinedProperties: true,
  };
  if (config.firestoreEmulatorHost !== undefined) {
    const [host, port] = config.firestoreEmulatorHost.split(':');
    const owner = new OAuth2Client();
    owner.setCredentials({ access_token: 'owner', expiry_date: Number.MAX_SAFE_INTEGER });
    Object.assign(settings, { host, port: Number(port), ssl: false, authClient: owner });
  }
  return new Firestore(settings);
}
