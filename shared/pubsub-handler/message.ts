/**
 * A Pub/Sub message as a function receives it: a CloudEvent of type
 * `google.cloud.pubsub.topic.v1.messagePublished` whose `data` is
 * `{message: {data (base64), attributes, messageId, publishTime}, subscription}`
 * and whose `source` names the topic,
 * `//pubsub.googleapis.com/projects/P/topics/T`. Eventarc sends it in binary
 * or structured mode; the functions framework also turns a raw push body
 * into one.
 * https://cloud.google.com/eventarc/docs/cloudevents#pubsub
 */
import { invalidInput } from '../errors.js';

/** The parts of a CloudEvent this module reads. */
export interface CloudEventLike {
  readonly id?: string;
  readonly source?: string;
  readonly type?: string;
  readonly data?: unknown;
}

/** One decoded Pub/Sub message. */
export interface PubsubMessage {
  readonly messageId: string;
  /** When Pub/Sub accepted it (ISO 8601), the same on every redelivery. */
  readonly publishTime?: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** The message body, decoded from base64. */
  readonly data: Buffer;
  /** Short name of the topic, from the CloudEvent's source, when it names one. */
  readonly topic?: string;
  readonly subscription?: string;
  /** Present when the subscription has a dead-letter policy. */
  readonly deliveryAttempt?: number;
}

const TOPIC_SOURCE = /\/projects\/[^/]+\/topics\/([^/?]+)$/;

/**
 * Decodes the Pub/Sub message a CloudEvent carries. Throws `invalid-input`
 * (reason `not-pubsub`) when the event carries none.
 */
export function decodePubsubEvent(event: CloudEventLike): PubsubMessage {
  const body = asObject(event.data);
  const message = asObject(body?.message);
  if (message === undefined)
    throw invalidInput('Event carries no Pub/Sub message.', { reason: 'not-pubsub' });

  const messageId = stringOf(message.messageId) ?? stringOf(message.message_id) ?? event.id;
  if (messageId === undefined)
    throw invalidInput('Pub/Sub message has no id.', { reason: 'not-pubsub' });
  const rawData = message.data;
  if (rawData !== undefined && rawData !== null && typeof rawData !== 'string') {
    throw invalidInput('Pub/Sub message data is not base64 text.', { reason: 'not-pubsub' });
  }

  const publishTime = stringOf(message.publishTime) ?? stringOf(message.publish_time);
  const topic = TOPIC_SOURCE.exec(event.source ?? '')?.[1];
  const subscription = stringOf(body?.subscription);
  const attempt = body?.deliveryAttempt;
  return {
    messageId,
    attributes: attributesOf(message.attributes),
    data: Buffer.from(rawData ?? '', 'base64'),
    ...(publishTime !== undefined && { publishTime }),
    ...(topic !== undefined && { topic: decodeURIComponent(topic) }),
    ...(subscription !== undefined && { subscription }),
    ...(typeof attempt === 'number' && { deliveryAttempt: attempt }),
  };
}

/** The message body as JSON; `invalid-input` (reason `not-json`) when it is not. */
export function jsonOf(message: PubsubMessage): unknown {
  try {
    return JSON.parse(message.data.toString('utf8')) as unknown;
  } catch {
    throw invalidInput('Pub/Sub message data is not JSON.', { reason: 'not-json' });
  }
}

/** When the message was published, else `fallback` (the clock). */
export function receivedAt(message: PubsubMessage, fallback: Date): string {
  const time = message.publishTime === undefined ? NaN : Date.parse(message.publishTime);
  return Number.isNaN(time) ? fallback.toISOString() : new Date(time).toISOString();
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    try {
      return asObject(JSON.parse(value.toString()));
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function attributesOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const attributes = asObject(value) ?? {};
  for (const [key, v] of Object.entries(attributes)) if (typeof v === 'string') out[key] = v;
  return out;
}
