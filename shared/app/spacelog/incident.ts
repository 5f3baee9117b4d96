/**
 * `/incident TITLE`: answers at once that the incident is being opened and
 * hands the work (space, members, details) to Pub/Sub as an `OpenIncident`
 * command on the alerts topic. The command's key is derived from the
 * interaction's id, so a retried delivery publishes the same key again and
 * the receiving side opens one incident.
 */
import { openIncidentMessage, type OpenIncident } from '../../commands.js';
import type { InteractionOf } from '../../interaction/model.js';
import { privatelyTo, type Reply } from '../../interaction/reply.js';
import type { HandlerContext } from '../types.js';
import type { SpacelogServices } from './services.js';

const LONGEST_TITLE = 256;

/** The incident key of the interaction that asked for it. */
export function incidentKeyOf(interactionId: string): string {
  return `inc-${interactionId.replace(/^ix-/, '')}`;
}

/** `/incident TITLE`. */
export async function openIncident(
  context: HandlerContext<
    InteractionOf<'slash-command'> | InteractionOf<'app-command'>,
    SpacelogServices
  >,
): Promise<Reply> {
  const { interaction, services } = context;
  const title = (interaction.message?.argumentText ?? '')
    .trim()
    .replace(/\s+/g, ' ')
    .slice(0, LONGEST_TITLE);
  if (title === '') {
    return context.reply.text(
      'Say what is wrong: /incident TITLE, for example /incident Checkout is down.',
      privatelyTo(interaction),
    );
  }

  const command: OpenIncident = {
    command: 'OpenIncident',
    incidentKey: incidentKeyOf(interaction.id),
    title,
    requestedBy: interaction.user.name,
    originSpace: interaction.space.name,
    format: interaction.format,
  };
  await services.publisher.publish(services.config.alertsTopic, openIncidentMessage(command));
  context.logger.info('Incident requested.', { incidentKey: command.incidentKey });
  return context.reply.text(
    `Opening incident “${title}”. I will post here when its space is ready.`,
  );
}
