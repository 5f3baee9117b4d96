/**
 * User sign-in for a Chat app built from configuration: what the user
 * features call with (the grant gate, a Chat client whose user mode uses
 * the grant, sign-out), and the gate that asks for the grant before
 * `/incident` when incident spaces are made as the user.
 */
import type { AppServices, Middleware } from '../app/types.js';
import type { Config } from '../config.js';
import { createRuntimeAuth } from '../google-auth.js';
import { createOutbound, type OutboundConfig } from '../outbound/index.js';
import { createSecretReader, secretManagerVersionAccess } from '../secrets.js';
import { withUserGrant, type UserFeatureDeps } from './commands.js';
import type { UserAuthWiringDeps } from './from-config.js';
import { createUserAuth } from './index.js';

/**
 * A middleware that asks for the `incident.open-as-user` grant before the
 * `/incident` handler runs, so the work handed to Pub/Sub can act as the user.
 */
export function incidentAsUserGate<S extends AppServices>(
  commandIdIncident: string,
  deps: Pick<UserFeatureDeps, 'gate'>,
): Middleware<S> {
  return (context, next) => {
    const { interaction } = context;
    const isIncident =
      (interaction.kind === 'slash-command' || interaction.kind === 'app-command') &&
      interaction.commandId === commandIdIncident;
    if (!isIncident) return next();
    return withUserGrant(deps, context, 'incident.open-as-user', () => next());
  };
}

/**
 * Builds what the user features call with (the gate, a Chat client whose
 * user mode uses the user's grant, sign-out) from configuration, with
 * Secret Manager reached as the runtime itself. Needs `OAUTH_CLIENT_ID`.
 */
export function userFeaturesFromConfig(config: Config, deps: UserAuthWiringDeps): UserFeatureDeps {
  const runtimeAuth = createRuntimeAuth(config);
  const secrets = createSecretReader(config, runtimeAuth);
  const userAuth = createUserAuth(config, {
    ...deps,
    secrets,
    secretVersions: secretManagerVersionAccess({ url: config.secretManagerUrl, auth: runtimeAuth }),
  });
  const outboundConfig: OutboundConfig = config;
  const { chat } = createOutbound(outboundConfig, {
    secrets,
    logger: deps.logger,
    userTokens: userAuth.userTokens,
  });
  return { gate: userAuth.gate, chat, signOut: userAuth.signOut };
}
