/**
 * Publishing to Pub/Sub. Spacelog publishes commands (open an incident, post
 * one space's digest) to its own topics; functions receive them as
 * CloudEvents. The interface keeps deciding code free of the transport.
 */

/** Attribute that tells Spacelog's own commands apart on a topic. */
export const COMMAND_ATTRIBUTE = 'spacelog-command';

/** One message to publish. */
export interface OutgoingMessage {
  /** JSON-serialisable body. */
  readonly data: unknown;
  readonly attributes?: Readonly<Record<string, string>>;
  /** Ordering key, where the topic has message ordering on. */
  readonly orderingKey?: string;
}

/** Publishes to a topic by its short name in the project. */
export interface Publisher {
  /** Resolves to the message id once Pub/Sub has accepted the message. */
  publish(topic: string, message: OutgoingMessage): Promise<string>;
}
