/**
 * Spacelog's own behaviour, written with the handler API: the welcome card
 * and digest settings on joining, the record of leaving, `/help`,
 * `/digest` and its buttons, `/incident`, answers to plain messages, and
 * what acts as the user (`/signout`, `/myspaces`, Acknowledge). Command ids
 * come from configuration. Every decision returns a reply value; the
 * transport (HTTP or Pub/Sub, both built here) renders or sends it.
 */
import type { Interaction } from '../../interaction/model.js';
import { createChatApp } from '../app.js';
import type { ChatApp } from '../types.js';
import { answerMessage, help } from './answers.js';
import { DIGEST_SET_ACTION } from './digest-card.js';
import { changeDigest, showDigest } from './digest.js';
import { openIncident } from './incident.js';
import { farewell, welcome } from './membership.js';
import type { SpacelogServices } from './services.js';
import { registerUserFeatures, type UserFeaturesLoader } from './user-features.js';

export type { SpacelogConfig, SpacelogServices } from './services.js';
export { loadOnce, userSignInEnabled, type UserFeaturesLoader } from './user-features.js';
export {
  streamDigestSettings,
  type DigestSettings,
  type DigestSettingsReader,
} from './digest-settings.js';

/**
 * Builds Spacelog's app over `services`: the one builder both `chatEvents`
 * and `chatPubsub` use. `userFeatures` loads user sign-in where it is set up.
 */
export function buildSpacelogApp(
  services: SpacelogServices,
  userFeatures?: UserFeaturesLoader,
): ChatApp<SpacelogServices> {
  const ids = services.config;
  const app = createChatApp(services)
    .onArrival(prepareSettings)
    .onAddedToSpace(welcome)
    .onRemovedFromSpace(farewell)
    .onMessage(answerMessage)
    .onMention(answerMessage)
    .onSlashCommand(ids.commandIdHelp, help)
    .onSlashCommand(ids.commandIdDigest, showDigest)
    .onSlashCommand(ids.commandIdIncident, openIncident)
    .onCardClick(DIGEST_SET_ACTION, changeDigest);
  registerUserFeatures(app, ids, userFeatures);
  return app;
}

/**
 * The answer to a message or mention describes the space's digest settings:
 * their read starts as the interaction arrives, beside its recording.
 */
function prepareSettings(interaction: Interaction, services: SpacelogServices): void {
  if (interaction.kind === 'message' || interaction.kind === 'mention') {
    services.digestSettings.prepare(interaction.id, interaction.space.name);
  }
}
