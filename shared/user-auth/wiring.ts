/**
 * Plugs user sign-in into a Chat app built from configuration: builds user
 * sign-in and a Chat client whose user mode uses it, registers `/signout`
 * and `/myspaces` (replacing their placeholders), and, when incident spaces
 * are made as the user, asks for the grant before `/incident` goes ahead.
 * Without `OAUTH_CLIENT_ID` it does nothing, and the placeholders stay.
 */
import type { AppServices, ChatApp, Middleware } from '../app/types.js';
import type { Config } from '../config.js';
import { createRuntimeAuth } from '../google-auth.js';
import { createOutbound, type OutboundConfig } from '../outbound/index.js';
import { createSecretReader } from '../secrets.js';
import {
  myspacesHandler,
  signoutHandler,
  withUserGrant,
  type UserFeatureDeps,
} from './commands.js';
import type { UserAuthWiringDeps } from './from-config.js';
import { createUserAuth } from './index.js';
import { secretManagerVersionAccess } from '../secrets.js';

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
 * Registers the user features on `app` when sign-in is configured, and
 * returns what other features (the incident acknowledgement) call with.
 */
export function enableUserFeatures<S extends AppServices>(
  app: ChatApp<S>,
  config: Config,
  deps: UserAuthWiringDeps,
): UserFeatureDeps | undefined {
  if (config.oauthClientId === undefined) return undefined;
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
  const features: UserFeatureDeps = { gate: userAuth.gate, chat, signOut: userAuth.signOut };

  app
    .onSlashCommand(config.commandIdSignout, signoutHandler(features))
    .onSlashCommand(config.commandIdMyspaces, myspacesHandler(features));
  if (config.incidentSpaceMode === 'user') {
    app.use(incidentAsUserGate(config.commandIdIncident, features));
  }
  return features;
}
