/**
 * Headers for REST calls a function makes as itself, chosen for a cold
 * start: on Google Cloud the metadata server's token, asked for through the
 * light client (`metadata-token.ts`); elsewhere google-auth-library's
 * Application Default Credentials, loaded on the first call that needs them
 * (a plain message against the emulator needs none, and locally
 * `RUNTIME_CREDENTIALS=none-local-only` sends none).
 */
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { RuntimeAuth } from './google-auth.js';
import { metadataTokenHeaders } from './metadata-token.js';

/** The function's own auth headers, fetched on first use. */
export function runtimeHeadersOnDemand(
  config: Pick<Config, 'onGoogleCloud' | 'runtimeCredentials' | 'metadataHost'>,
  clock: Clock,
): RuntimeAuth['headers'] {
  if (config.onGoogleCloud === true && config.runtimeCredentials === 'adc') {
    return metadataTokenHeaders({ host: config.metadataHost, clock });
  }
  let auth: Promise<RuntimeAuth> | undefined;
  return async () => {
    auth ??= import('./google-auth.js').then((m) => m.createRuntimeAuth(config));
    return (await auth).headers();
  };
}
