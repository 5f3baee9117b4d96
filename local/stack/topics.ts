/**
 * Spacelog's Pub/Sub topics and which function each one triggers, as the
 * deployment wires them (an Eventarc trigger per topic). The local stack
 * builds the same wiring on the Pub/Sub emulator or on its in-process router.
 */
import type { Config } from '../../shared/config.js';
import type { FunctionName } from './function-targets.js';

/** Topic Google Chat publishes interaction events to, when the app is set to Pub/Sub. */
export const INTERACTIONS_TOPIC = 'spacelog-interactions';
/** Topic Cloud Scheduler publishes its digest tick to. */
export const DIGEST_TICKS_TOPIC = 'spacelog-digest-ticks';

/** One topic and the function its push subscription delivers to. */
export interface TopicRoute {
  /** Short topic name in the project. */
  readonly topic: string;
  readonly subscription: string;
  readonly target: FunctionName;
}

/** Every topic of the stack with its subscriber, from the configured topic names. */
export function topicRoutes(
  config: Pick<Config, 'alertsTopic' | 'digestJobsTopic' | 'workspaceEventsTopic'>,
): TopicRoute[] {
  const route = (topic: string, target: FunctionName): TopicRoute => ({
    topic,
    subscription: `${topic}-${target.toLowerCase()}`,
    target,
  });
  return [
    route(INTERACTIONS_TOPIC, 'chatPubsub'),
    route(config.workspaceEventsTopic, 'chatPubsub'),
    route(config.alertsTopic, 'chatPubsub'),
    route(config.digestJobsTopic, 'chatPubsub'),
    route(DIGEST_TICKS_TOPIC, 'scheduledDigest'),
  ];
}

/**
 * The push endpoint of a function for a topic. The path names the topic, as
 * the functions framework expects of raw Pub/Sub pushes: it turns them into
 * `google.cloud.pubsub.topic.v1.messagePublished` CloudEvents whose source is
 * that topic.
 */
export function pushEndpoint(functionUrl: string, projectId: string, topic: string): string {
  return `${functionUrl}/projects/${projectId}/topics/${topic}`;
}
