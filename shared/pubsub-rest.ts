/**
 * A `Publisher` over Pub/Sub's REST API: one `topics.publish` request per
 * message, with the runtime's own credentials, retried on 429 and 5xx.
 * `@google-cloud/pubsub` is not used at run time because importing it takes
 * about 462 ms of a cold start (and loads gRPC), for what is one POST here.
 * A retry after a lost answer may publish twice; Pub/Sub delivers at least
 * once anyway, so consumers already tell repeats apart.
 * https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish
 */
import type { Config } from './config.js';
import { SpacelogError } from './errors.js';
import type { RuntimeAuth } from './google-auth.js';
import { createOutboundHttp } from './outbound/http.js';
import type { RetryPolicy } from './outbound/retry.js';
import type { OutboundRuntime } from './outbound/runtime.js';
import type { OutgoingMessage, Publisher } from './pubsub.js';

/** Retries of one publish: quick, since callers are often answering a request. */
export const PUBLISH_POLICY: RetryPolicy = {
  maxAttempts: 5,
  attemptTimeoutMs: 10_000,
  deadlineMs: 30_000,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
};

/** What the publisher is built from. */
export interface RestPublisherOptions {
  readonly projectId: string;
  /** `PUBSUB_URL`, such as `https://pubsub.googleapis.com` or `http://127.0.0.1:8085`. */
  readonly pubsubUrl: string;
  /** Only its headers are used, so a caller may load credentials on first publish. */
  readonly auth: Pick<RuntimeAuth, 'headers'>;
  readonly runtime: OutboundRuntime;
  readonly policy?: RetryPolicy;
}

/** Builds the REST publisher. */
export function createRestPublisher(options: RestPublisherOptions): Publisher {
  const http = createOutboundHttp(options.runtime, options.policy ?? PUBLISH_POLICY);
  const base = options.pubsubUrl.replace(/\/$/, '');

  return {
    async publish(topic, message) {
      if (!/^[A-Za-z][\w.~+%-]{2,254}$/.test(topic)) {
        throw new SpacelogError('invalid-input', 'Not a Pub/Sub topic id.', {
          topic: topic.slice(0, 80),
        });
      }
      const response = await http.send({
        call: 'pubsub.publish',
        method: 'POST',
        url: `${base}/v1/projects/${options.projectId}/topics/${topic}:publish`,
        body: { messages: [wireMessage(message)] },
        authorize: () => options.auth.headers(),
        details: { topic },
      });
      const id = (response.body as { messageIds?: unknown }).messageIds;
      if (!Array.isArray(id) || typeof id[0] !== 'string') {
        throw new SpacelogError(
          'unavailable',
          'Pub/Sub accepted the publish without a message id.',
          { topic },
        );
      }
      return id[0];
    },
  };
}

function wireMessage(message: OutgoingMessage): Record<string, unknown> {
  return {
    data: Buffer.from(JSON.stringify(message.data), 'utf8').toString('base64'),
    ...(message.attributes && { attributes: message.attributes }),
    ...(message.orderingKey !== undefined && { orderingKey: message.orderingKey }),
  };
}

/** The publisher for this configuration. */
export function createPublisher(
  config: Pick<Config, 'projectId' | 'pubsubUrl'>,
  auth: Pick<RuntimeAuth, 'headers'>,
  runtime: OutboundRuntime,
): Publisher {
  return createRestPublisher({
    projectId: config.projectId,
    pubsubUrl: config.pubsubUrl,
    auth,
    runtime,
  });
}
