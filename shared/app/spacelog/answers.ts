/**
 * Answers that need no command: a plain message or a mention gets what the
 * app has recorded about the space and a pointer to `/help`; `/help` gets
 * the command list. The count is the position of the interaction's own
 * `InteractionReceived` in the space's stream, so a retried delivery gets
 * the same answer.
 */
import type { InteractionOf } from '../../interaction/model.js';
import { privatelyTo, type Reply } from '../../interaction/reply.js';
import type { HandlerContext } from '../types.js';
import { settingsOrDefaults } from './digest.js';
import { describeDigest } from './digest-card.js';
import { helpCard } from './help.js';
import type { SpacelogServices } from './services.js';

/** A message in a DM, or a mention in a space. */
export function answerMessage(
  context: HandlerContext<InteractionOf<'message'> | InteractionOf<'mention'>, SpacelogServices>,
): Promise<Reply> {
  const events = context.received.version;
  const where =
    context.interaction.space.type === 'DIRECT_MESSAGE' ? 'our conversation' : 'this space';
  const { services, interaction } = context;
  // One `then`, not `await`: the most frequent answer keeps to one promise of its own.
  return services.digestSettings.read(interaction.space.name, interaction.id).then((recorded) => {
    const { settings } = settingsOrDefaults(services, interaction, recorded);
    return context.reply.text(
      `I have recorded ${events} event${events === 1 ? '' : 's'} in ${where}. ` +
        `The digest is ${describeDigest(settings)}. Type /help to see what I can do.`,
    );
  });
}

/** `/help`. */
export function help(
  context: HandlerContext<
    InteractionOf<'slash-command'> | InteractionOf<'app-command'>,
    SpacelogServices
  >,
): Reply {
  return context.reply.cards([helpCard()], privatelyTo(context.interaction));
}
