/**
 * `/digest` and its card's buttons. The command shows the settings card;
 * a button records a `DigestSettingsChanged` (a full snapshot, id derived
 * from the click) and puts the updated card in place of the clicked one.
 * The card is drawn from the recorded event, so a retried click, which
 * records nothing new, gets the same card.
 *
 * `/digest now` asks for the space's digest of what happened since the last
 * one: a `PostDigest` job for the period ending when it was asked (Chat's
 * event time, the same on a redelivery, so one request posts one digest),
 * published on the alerts topic for `chatPubsub`.
 */
import { postDigestMessage } from '../../commands.js';
import { digestId } from '../../digest/identity.js';
import type { Interaction, InteractionOf } from '../../interaction/model.js';
import { privatelyTo, type Reply } from '../../interaction/reply.js';
import type { HandlerContext } from '../types.js';
import { digestCard } from './digest-card.js';
import {
  applyChange,
  changeFromParameters,
  initialDigestSettings,
  sameSettings,
  type DigestSettings,
} from './digest-settings.js';
import type { SpacelogServices } from './services.js';

type Context<K extends 'slash-command' | 'card-click'> = HandlerContext<
  InteractionOf<K>,
  SpacelogServices
>;

/** The settings of the interaction's space, or those it would start with. */
export function currentSettings(
  services: SpacelogServices,
  interaction: Interaction,
): Promise<{ settings: DigestSettings; recorded: boolean }> {
  return services.digestSettings
    .read(interaction.space.name, interaction.id)
    .then((recorded) => settingsOrDefaults(services, interaction, recorded));
}

/** `recorded` settings, or those the interaction's space would start with. */
export function settingsOrDefaults(
  services: SpacelogServices,
  interaction: Interaction,
  recorded: DigestSettings | undefined,
): { settings: DigestSettings; recorded: boolean } {
  if (recorded !== undefined) return { settings: recorded, recorded: true };
  const settings = initialDigestSettings({
    timeZone: interaction.timeZone,
    defaultTime: services.config.digestDefaultTime,
    quiet: services.config.digestQuiet,
  });
  return { settings, recorded: false };
}

/** `/digest`: the settings card; `/digest now`: the digest, posted shortly. */
export async function showDigest(context: Context<'slash-command'>): Promise<Reply> {
  const argument = (context.interaction.message?.argumentText ?? '').trim().toLowerCase();
  if (argument === 'now') return digestNow(context);
  const { settings } = await currentSettings(context.services, context.interaction);
  return context.reply.cards([digestCard(settings)]);
}

/** A digest card button: apply its values, record the result, show the new card. */
export async function changeDigest(context: Context<'card-click'>): Promise<Reply> {
  const { interaction } = context;
  const change = changeFromParameters(interaction.parameters);
  if (change === undefined) {
    return context.reply.text(
      'That button is out of date: run /digest again.',
      privatelyTo(interaction),
    );
  }
  const { settings, recorded } = await currentSettings(context.services, context.interaction);
  const next = applyChange(settings, change, interaction.timeZone);
  if (recorded && sameSettings(settings, next)) {
    return context.reply.updateMessage({ cardsV2: [digestCard(settings)] });
  }
  const event = await context.record('DigestSettingsChanged', next);
  return context.reply.updateMessage({ cardsV2: [digestCard(event.payload)] });
}

async function digestNow(context: Context<'slash-command'>): Promise<Reply> {
  const { interaction, services } = context;
  const space = interaction.space.name;
  const periodEnd = new Date(interaction.eventTime).toISOString();
  const jobId = digestId(space, periodEnd);
  await services.publisher.publish(
    services.config.alertsTopic,
    postDigestMessage({ command: 'PostDigest', space, periodEnd, jobId, onDemand: true }),
  );
  context.logger.info('Digest requested.', { digest: jobId });
  return context.reply.text("Posting this space's digest of what happened since the last one.");
}
