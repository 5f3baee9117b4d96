/**
 * Credentials for calls a function makes as itself (Secret Manager, Pub/Sub),
 * per `RUNTIME_CREDENTIALS`: Application Default Credentials on Google Cloud
 * (the function's service account, from the metadata server), or none
 * against local stand-ins and emulators, where `loadConfig` already refused
 * that choice on Google Cloud.
 */
import { GoogleAuth, OAuth2Client } from 'google-auth-library';
import type { Config } from './config.js';

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

/** The runtime's own credentials, in the two forms callers need. */
export interface RuntimeAuth {
  readonly mode: Config['runtimeCredentials'];
  /** The auth client itself (for `authClient`, where the library's types allow it). */
  readonly client: GoogleAuth | OAuth2Client;
  /** Spread into a Google client library's constructor options: typed as the libraries accept it. */
  readonly libraryOptions: { readonly auth: GoogleAuth } | { readonly authClient: OAuth2Client };
  /** Headers for a REST call made as the function; empty when there are no credentials. */
  headers(): Promise<Readonly<Record<string, string>>>;
}

/** Builds the runtime's credentials; nothing is fetched until first use. */
export function createRuntimeAuth(config: Pick<Config, 'runtimeCredentials'>): RuntimeAuth {
  if (config.runtimeCredentials === 'none-local-only') {
    // Client libraries insist on asking for a token; local servers ignore it.
    const client = new OAuth2Client();
    client.setCredentials({ access_token: 'local-only', expiry_date: Number.MAX_SAFE_INTEGER });
    return {
      mode: 'none-local-only',
      client,
      libraryOptions: { authClient: client },
      headers: () => Promise.resolve({}),
    };
  }

  const client = new GoogleAuth({ scopes: [CLOUD_PLATFORM] });
  return {
    mode: 'adc',
    client,
    libraryOptions: { auth: client },
    async headers() {
      const out: Record<string, string> = {};
      (await client.getRequestHeaders()).forEach((value, key) => (out[key] = value));
      return out;
    },
  };
}
