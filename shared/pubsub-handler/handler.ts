/**
 * `buildPubsubHandler`: the CloudEvent handler of a Pub/Sub function. It
 * decodes the message, picks its route and maps what the route did to what
 * Pub/Sub should do (`pubsubOutcomeOf` in `errors.ts`):
 * - done, or an error whose outcome is `ack`: return, and the message is
 *   acknowledged (the function answers 2xx);
 * - `retry` (unavailable, rate-limited, conflict, internal, ...): throw, the
 *   function answers 5xx and Pub/Sub delivers the message again (after the
 *   subscription's retry policy, up to its dead-letter topic, if any);
 * - `quarantine` (a message that can never succeed: malformed, refused):
 *   keep it with its reason in the refused-input store, then acknowledge,
 *   so it is never retried forever.
 * It starts nothing and reads no environment.
 */
import { pubsubOutcomeOf, toSpacelogError, type SpacelogError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RejectedStore } from '../rejected.js';
import { decodePubsubEvent, type CloudEventLike, type PubsubMessage } from './message.js';
import { routeOf, type PubsubRoute } from './routes.js';

/** What the handler needs. */
export interface PubsubHandlerDeps {
  readonly routes: readonly PubsubRoute[];
  readonly rejected: RejectedStore;
  readonly logger: Logger;
  /** The function's name, recorded with refused inputs (`chatPubsub`). */
  readonly source: string;
  /** Longest wait for the refused-input store before acknowledging. Default 5 s. */
  readonly keepRejectedTimeoutMs?: number;
}

/** The handler the entry module registers with `functions.cloudEvent`. */
export type PubsubEventHandler = (event: CloudEventLike) => Promise<void>;

/** Builds the handler. */
export function buildPubsubHandler(deps: PubsubHandlerDeps): PubsubEventHandler {
  const quarantine = async (reason: string, content: Buffer, log: Logger) => {
    const timeout = new Promise<void>((resolve) =>
      setTimeout(resolve, deps.keepRejectedTimeoutMs ?? 5000).unref(),
    );
    const input = { source: deps.source, reason: reason.slice(0, 128), content };
    await Promise.race([deps.rejected.keep(input), timeout]);
    log.warn('Pub/Sub message refused and acknowledged.', { reason });
  };

  return async (event) => {
    let message: PubsubMessage;
    try {
      message = decodePubsubEvent(event);
    } catch (err) {
      const log = deps.logger.child({ eventId: event.id });
      const reason = reasonOf('decode', toSpacelogError(err));
      return quarantine(reason, Buffer.from(JSON.stringify(event.data ?? null)), log);
    }

    const route = routeOf(deps.routes, message);
    const log = deps.logger.child({
      messageId: message.messageId,
      route: route?.name ?? 'none',
      ...(message.topic !== undefined && { topic: message.topic }),
      ...(message.deliveryAttempt !== undefined && { deliveryAttempt: message.deliveryAttempt }),
    });
    if (route === undefined) return quarantine('no-route', message.data, log);

    try {
      const outcome = await route.handle(message, log);
      log.info('Pub/Sub message handled.', { outcome: describe(outcome) });
    } catch (err) {
      const error = toSpacelogError(err);
      switch (pubsubOutcomeOf(error.code)) {
        case 'retry':
          log.warn('Pub/Sub message failed; it will be delivered again.', { error });
          throw error;
        case 'quarantine':
          return quarantine(reasonOf(route.name, error), message.data, log);
        case 'ack':
          log.info('Pub/Sub message acknowledged without effect.', { code: error.code });
      }
    }
  };
}

/** A fixed reason for the refused-input store: the route and the error's reason or code. */
function reasonOf(route: string, error: SpacelogError): string {
  const { reason, field } = error.details;
  const what = typeof reason === 'string' ? reason : error.code;
  return typeof field === 'string' ? `${route}:${what}:${field}` : `${route}:${what}`;
}

/** A short, content-free description of a route's result for the log. */
function describe(outcome: unknown): string | undefined {
  if (typeof outcome === 'string') return outcome.slice(0, 64);
  const kind = (outcome as { kind?: unknown } | null | undefined)?.kind;
  return typeof kind === 'string' ? kind.slice(0, 64) : undefined;
}
