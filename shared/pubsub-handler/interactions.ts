/**
 * Chat interaction events delivered through Pub/Sub. The message data is the
 * same JSON Chat sends over HTTP (either format); Chat's publisher identity
 * is enforced by IAM on the topic, so there is no token to check here. The
 * interaction is recorded once, keyed by the interaction itself: a repeated
 * delivery, or the same interaction having arrived over HTTP, records
 * nothing new. The same app decides the reply as over HTTP; it is sent
 * through the REST API (`reply.ts`), unless the interaction was first
 * recorded as arriving over HTTP, where the synchronous answer carried it.
 */
import type { AppServices, ChatApp } from '../app/types.js';
import type { Interaction } from '../interaction/model.js';
import { parseInteraction } from '../interaction/parse.js';
import type { Logger } from '../log.js';
import { jsonOf, type PubsubMessage } from './message.js';
import { sendReply, type ReplyDeps } from './reply.js';

/** What the interaction route needs. */
export interface InteractionRouteDeps extends ReplyDeps {
  readonly app: ChatApp<AppServices>;
}

/** What handling one interaction did. */
export type InteractionOutcome = 'create' | 'update' | 'none' | 'answered-over-http';

/** Handles one Pub/Sub message holding a Chat interaction event. */
export async function handleInteractionMessage(
  deps: InteractionRouteDeps,
  message: PubsubMessage,
  log: Logger,
): Promise<InteractionOutcome> {
  const interaction: Interaction = parseInteraction(jsonOf(message));
  const ilog = log.child({
    interactionId: interaction.id,
    interactionKind: interaction.kind,
    space: interaction.space.name,
  });

  const recorded = await deps.app.record(interaction, 'pubsub');
  const via = (recorded.received.payload as { via?: unknown }).via;
  if (!recorded.firstDelivery && via === 'http') {
    ilog.info('Interaction already answered over HTTP; not answered again.');
    return 'answered-over-http';
  }

  const reply = await deps.app.dispatch(interaction, recorded, 'pubsub');
  return sendReply(deps, interaction, reply, ilog);
}
