/**
 * The part of Spacelog's behaviour that can act as the user, registered the
 * same way whichever path an interaction came by: `/signout`, `/myspaces`,
 * the incident card's Acknowledge and, when incident spaces are made as the
 * user, the grant asked for before `/incident` goes ahead.
 *
 * User sign-in comes from a loader. The HTTP path loads it (and the Firestore
 * client and Chat client behind it) on first use, so a plain message never
 * pays for it; the Pub/Sub path hands over what it built. Every module these
 * handlers need beyond that is imported on first use too. Without sign-in,
 * `/signout` and `/myspaces` say they are not enabled and Acknowledge is
 * recorded and announced by the app.
 */
import type { Config } from '../../config.js';
import { ACKNOWLEDGE_ACTION } from '../../incidents/messages.js';
import type { Interaction } from '../../interaction/model.js';
import type { UserFeatureDeps } from '../../user-auth/commands.js';
import type { ChatApp } from '../types.js';
import type { SpacelogConfig, SpacelogServices } from './services.js';
import { registerSignInPlaceholders } from './sign-in-placeholders.js';

/** Loads user sign-in, once; present only when sign-in is set up. */
export type UserFeaturesLoader = () => Promise<UserFeatureDeps>;

/**
 * Whether user sign-in runs with `config`: it needs `OAUTH_CLIENT_ID`, and
 * grants live in Firestore, so with the in-memory log it is off unless
 * incident spaces are made as the user (which cannot work without it).
 */
export function userSignInEnabled(
  config: Pick<Config, 'oauthClientId' | 'eventStore' | 'incidentSpaceMode'>,
): boolean {
  if (config.oauthClientId === undefined) return false;
  return config.eventStore !== 'memory' || config.incidentSpaceMode === 'user';
}

/** `load`, run at most once at a time; a failed load is tried again on the next call. */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    }));
}

/** Registers the user-facing features on `app`, with sign-in from `userFeatures` when set. */
export function registerUserFeatures(
  app: ChatApp<SpacelogServices>,
  config: SpacelogConfig,
  userFeatures: UserFeaturesLoader | undefined,
): void {
  app.onCardClick(ACKNOWLEDGE_ACTION, async (context) => {
    const [{ acknowledgeHandler }, asUser] = await Promise.all([
      import('../../incidents/acknowledge.js'),
      userFeatures?.(),
    ]);
    return acknowledgeHandler<SpacelogServices>(asUser ? { asUser } : {})(context);
  });
  if (userFeatures === undefined) {
    registerSignInPlaceholders(app, [config.commandIdSignout, config.commandIdMyspaces]);
    return;
  }

  const commands = () => Promise.all([import('../../user-auth/commands.js'), userFeatures()]);
  app.onSlashCommand(config.commandIdSignout, async (context) => {
    const [{ signoutHandler }, features] = await commands();
    return signoutHandler<SpacelogServices>(features)(context);
  });
  app.onSlashCommand(config.commandIdMyspaces, async (context) => {
    const [{ myspacesHandler }, features] = await commands();
    return myspacesHandler<SpacelogServices>(features)(context);
  });
  if (config.incidentSpaceMode === 'user') {
    // Only `/incident` loads the gate; every other interaction goes straight on.
    app.use(async (context, next) => {
      if (!isCommand(context.interaction, config.commandIdIncident)) return next();
      const [{ withUserGrant }, features] = await commands();
      return withUserGrant(features, context, 'incident.open-as-user', () => next());
    });
  }
}

function isCommand(interaction: Interaction, commandId: string): boolean {
  return (
    (interaction.kind === 'slash-command' || interaction.kind === 'app-command') &&
    interaction.commandId === commandId
  );
}
