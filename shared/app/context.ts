/**
 * Builds the context a handler receives for one interaction: its logger
 * (identifiers only, never content), the reply builders, and `record`,
 * which appends caused events under ids derived from the interaction's.
 */
import { newEvent, spaceStream, type EventOf, type RecordedEvent } from '../eventlog/index.js';
import type { Interaction, Transport } from '../interaction/model.js';
import type { Logger } from '../log.js';
import { replies } from '../interaction/reply.js';
import { appendRetryingRaces, causedEventId, occurredAt } from './record.js';
import type { AppServices, HandlerContext } from './types.js';

/** The context of one dispatch of `interaction`. */
export function createContext<S extends AppServices>(
  interaction: Interaction,
  services: S,
  transport: Transport,
  recorded: { received: RecordedEvent; firstDelivery: boolean },
): HandlerContext<Interaction, S> {
  // Made when first used: most interactions log nothing of their own.
  let logger: Logger | undefined;

  return {
    interaction,
    services,
    get logger() {
      return (logger ??= services.logger.child({
        interactionId: interaction.id,
        interactionKind: interaction.kind,
        space: interaction.space.name,
        format: interaction.format,
        via: transport,
      }));
    },
    transport,
    received: recorded.received,
    firstDelivery: recorded.firstDelivery,
    reply: replies,
    async record(type, payload, options = {}) {
      const event = newEvent(type, {
        id: causedEventId(interaction.id, options.key ?? type),
        stream: options.stream ?? spaceStream(interaction.space.name),
        occurredAt: occurredAt(interaction.eventTime),
        causedBy: { kind: 'user', id: interaction.user.name },
        payload,
      });
      const appendOptions =
        options.expectedVersion === undefined ? {} : { expectedVersion: options.expectedVersion };
      const result = await appendRetryingRaces(services.events, event, appendOptions);
      return result.event as EventOf<typeof type>;
    },
  };
}
