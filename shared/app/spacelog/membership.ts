/**
 * The app joining and leaving a space. Joining records `AppAddedToSpace`
 * (with the time zone when the interaction carries one) and, for a space
 * that never had digest settings, the settings it starts with; the answer
 * is the welcome card. Leaving records `AppRemovedFromSpace`, which stops
 * the space's digests (the digest projection reads it); Chat accepts no
 * message in reply.
 *
 * Both publish a `WatchSpace` command (subscribe to the space's Workspace
 * Events, or delete the subscription) for `chatPubsub`, after recording, on
 * every delivery: the command is done once per interaction, and a failed
 * publish fails the delivery so that Chat's retry publishes it. The reply
 * deadline's watchdog answers if publishing is slow.
 */
import { watchSpaceMessage } from '../../commands.js';
import type { InteractionOf } from '../../interaction/model.js';
import type { Reply } from '../../interaction/reply.js';
import type { HandlerContext } from '../types.js';
import { currentSettings } from './digest.js';
import { describeDigest } from './digest-card.js';
import { knownZone } from './digest-settings.js';
import { welcomeCard } from './help.js';
import type { SpacelogServices } from './services.js';

/** Added to a space: record it, start its digest settings, welcome. */
export async function welcome(
  context: HandlerContext<InteractionOf<'added-to-space'>, SpacelogServices>,
): Promise<Reply> {
  const { interaction } = context;
  const timeZone = knownZone(interaction.timeZone);
  await context.record('AppAddedToSpace', {
    spaceName: interaction.space.name,
    spaceType: interaction.space.type,
    displayName: interaction.space.displayName?.slice(0, 512),
    ...(timeZone ? { timeZone } : {}),
  });

  const { settings, recorded } = await currentSettings(context.services, interaction);
  const shown = recorded
    ? settings
    : (await context.record('DigestSettingsChanged', settings)).payload;
  await watchSpace(context, true);
  return context.reply.cards([welcomeCard(describeDigest(shown))]);
}

/** Removed from a space: record it; nothing can be posted there any more. */
export async function farewell(
  context: HandlerContext<InteractionOf<'removed-from-space'>, SpacelogServices>,
): Promise<Reply> {
  await context.record('AppRemovedFromSpace', { spaceName: context.interaction.space.name });
  await watchSpace(context, false);
  return context.reply.nothing();
}

async function watchSpace(
  context: HandlerContext<InteractionOf<'added-to-space' | 'removed-from-space'>, SpacelogServices>,
  watch: boolean,
): Promise<void> {
  const { interaction, services } = context;
  const command = { command: 'WatchSpace', space: interaction.space.name, watch } as const;
  await services.publisher.publish(
    services.config.alertsTopic,
    watchSpaceMessage({ ...command, cause: interaction.id }),
  );
}
