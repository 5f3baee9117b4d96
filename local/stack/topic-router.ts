/**
 * In-process Pub/Sub for the stack without the emulator: the REST publish
 * call (`POST /v1/projects/P/topics/T:publish`) the functions make, and push
 * delivery to each subscribed function with the emulator's body
 * (`{message{data, attributes, messageId, publishTime}, subscription}`).
 * A non-2xx answer or a network error is retried with backoff, a bounded
 * number of times, as a push subscription would.
 * https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish
 */
import {
  googleError,
  HttpError,
  listen,
  readJson,
  requestUrl,
  sendJson,
  type StandIn,
} from '../standins/standin.js';
import { pushEndpoint, type TopicRoute } from './topics.js';

/** Delivery attempts per message and subscription before it is dropped. */
const MAX_ATTEMPTS = 6;
const FIRST_BACKOFF_MS = 500;

/** A running router. */
export interface TopicRouter extends StandIn {
  /** Messages published so far, per topic. */
  publishedCount(topic: string): number;
}

interface PublishedMessage {
  readonly data: string;
  readonly attributes: Record<string, string>;
  readonly messageId: string;
  readonly publishTime: string;
}

const PUBLISH_PATH = /^\/v1\/projects\/([^/]+)\/topics\/([^/:]+):publish$/;

function readMessages(body: unknown): { data: string; attributes: Record<string, string> }[] {
  const list = (body as { messages?: unknown }).messages;
  if (!Array.isArray(list) || list.length === 0) {
    throw new HttpError(400, 'INVALID_ARGUMENT', 'No messages to publish.');
  }
  return list.map((raw: unknown) => {
    const m = raw as { data?: unknown; attributes?: unknown };
    const attributes = (typeof m.attributes === 'object' && m.attributes) || {};
    if (typeof m.data !== 'string' || m.data === '') {
      // Pub/Sub refuses a message without data unless it has attributes; the push body needs data.
      throw new HttpError(400, 'INVALID_ARGUMENT', 'A message needs base64 data.');
    }
    return { data: m.data, attributes: attributes as Record<string, string> };
  });
}

/**
 * Starts the router on 127.0.0.1. `functionUrl` gives the base URL of the
 * function a route delivers to; `onDrop` hears of a message given up on.
 */
export async function startTopicRouter(options: {
  readonly projectId: string;
  readonly routes: readonly TopicRoute[];
  readonly functionUrl: (route: TopicRoute) => string;
  readonly onDrop?: (route: TopicRoute, messageId: string, status: string) => void;
}): Promise<TopicRouter> {
  const counts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  let nextId = 1;
  let closed = false;

  const deliver = (route: TopicRoute, message: PublishedMessage, attempt: number): void => {
    const url = pushEndpoint(options.functionUrl(route), options.projectId, route.topic);
    const body = {
      message,
      subscription: `projects/${options.projectId}/subscriptions/${route.subscription}`,
    };
    const retry = (status: string) => {
      if (closed) return;
      if (attempt >= MAX_ATTEMPTS) return options.onDrop?.(route, message.messageId, status);
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          deliver(route, message, attempt + 1);
        },
        FIRST_BACKOFF_MS * 2 ** (attempt - 1),
      );
      timers.add(timer);
    };
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then((res) => (res.ok ? undefined : retry(String(res.status))))
      .catch(() => retry('unreachable'));
  };

  const server = await listen(async (req, res) => {
    const match = req.method === 'POST' ? PUBLISH_PATH.exec(requestUrl(req).pathname) : null;
    const topic = match?.[2];
    if (match?.[1] !== options.projectId || topic === undefined) {
      return googleError(res, 404, 'NOT_FOUND', 'Resource not found.');
    }
    const routes = options.routes.filter((route) => route.topic === topic);
    if (routes.length === 0) return googleError(res, 404, 'NOT_FOUND', 'Topic not found.');

    const messageIds: string[] = [];
    for (const incoming of readMessages(await readJson(req))) {
      const message = {
        ...incoming,
        messageId: String(nextId++),
        publishTime: new Date().toISOString(),
      };
      messageIds.push(message.messageId);
      counts.set(topic, (counts.get(topic) ?? 0) + 1);
      for (const route of routes) deliver(route, message, 1);
    }
    sendJson(res, 200, { messageIds });
  });

  return {
    url: server.url,
    publishedCount: (topic) => counts.get(topic) ?? 0,
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      await server.close();
    },
  };
}
