/**
 * How Google Chat delivers an interaction event to the app: over HTTP with a
 * signed bearer token of the configured kind (verification stays on in the
 * function), or as a message on the interactions Pub/Sub topic, where the
 * data is the same JSON and Pub/Sub itself authenticates the publisher.
 */
import {
  mintAddOnIdToken,
  mintEndpointIdToken,
  mintProjectNumberToken,
  type MintKeys,
} from '../standins/certs.js';
import { DEMO_PROJECT } from './demo.js';
import { ADD_ON_SERVICE_AGENT, chatAudience } from './function-env.js';
import type { AudienceKind } from './options.js';
import { INTERACTIONS_TOPIC } from './topics.js';

/** The function's answer to an HTTP delivery. */
export interface HttpAnswer {
  readonly status: number;
  /** The JSON body, when there is one. */
  readonly body: Record<string, unknown> | undefined;
}

/** Delivers interaction events to the app. */
export interface Delivery {
  /** A fresh token as Chat would sign it for this app. */
  token(): string;
  overHttp(event: Record<string, unknown>, token: string): Promise<HttpAnswer>;
  /** Publishes to the interactions topic; resolves to the message id. */
  overPubsub(event: Record<string, unknown>): Promise<string>;
}

/** Builds the delivery for the stack's chatEvents URL, Pub/Sub base URL and token kind. */
export function createDelivery(options: {
  readonly keys: MintKeys;
  readonly kind: AudienceKind;
  readonly chatEventsUrl: string;
  readonly pubsubUrl: string;
}): Delivery {
  const audience = chatAudience(options.kind, options.chatEventsUrl);
  const token = (): string => {
    switch (options.kind) {
      case 'project-number':
        return mintProjectNumberToken(options.keys, { projectNumber: audience });
      case 'endpoint-url':
        return mintEndpointIdToken(options.keys, { audience });
      case 'add-on':
        return mintAddOnIdToken(options.keys, {
          audience,
          serviceAgentEmail: ADD_ON_SERVICE_AGENT,
        });
    }
  };

  return {
    token,
    async overHttp(event, bearer) {
      const res = await fetch(options.chatEventsUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      let body: Record<string, unknown> | undefined;
      try {
        const parsed: unknown = text === '' ? undefined : JSON.parse(text);
        body =
          typeof parsed === 'object' && parsed !== null
            ? (parsed as Record<string, unknown>)
            : undefined;
      } catch {
        body = undefined;
      }
      return { status: res.status, body };
    },
    overPubsub: (event) => publishJson(options.pubsubUrl, INTERACTIONS_TOPIC, event),
  };
}

/** Publishes any JSON to a topic of the demo project; resolves to the message id. */
export function publishJson(
  pubsubUrl: string,
  topic: string,
  data: unknown,
  attributes: Record<string, string> = {},
): Promise<string> {
  const path = `projects/${DEMO_PROJECT.id}/topics/${topic}`;
  return publishBytes(pubsubUrl, path, Buffer.from(JSON.stringify(data)), attributes);
}

/** Publishes bytes to a topic given by its full name `projects/P/topics/T`. */
export async function publishBytes(
  pubsubUrl: string,
  topicPath: string,
  data: Buffer,
  attributes: Readonly<Record<string, string>>,
): Promise<string> {
  const res = await fetch(`${pubsubUrl}/v1/${topicPath}:publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ data: data.toString('base64'), attributes }] }),
  });
  const body = (await res.json()) as { messageIds?: string[] };
  const id = body.messageIds?.[0];
  if (!res.ok || id === undefined)
    throw new Error(`Publishing to ${topicPath} failed: ${res.status}`);
  return id;
}
