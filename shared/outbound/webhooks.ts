/**
 * Posting through a space's incoming webhook. The webhook URL carries its
 * own key and token, so the whole URL is a secret: it lives in Secret
 * Manager (`WEBHOOK_SECRET_PREFIX` + the space id), is read once per
 * instance, and never appears in a log line or an error. Same retries, size
 * limit and per-space pacing as the Chat client (webhooks count against the
 * space's limit too).
 * https://developers.google.com/workspace/chat/quickstart/webhooks
 */
import { SpacelogError } from '../errors.js';
import type { SecretReader } from '../secrets.js';
import type { ChatCardWithId, ChatMessage, MessageReplyOption } from './chat-types.js';
import type { OutboundHttp } from './http.js';
import { requestIdFor } from './request-id.js';
import { splitMessage } from './split.js';

/** A message sent through a webhook. */
export interface WebhookMessage {
  readonly text?: string;
  readonly cardsV2?: readonly ChatCardWithId[];
  /** Threads the message; messages with the same key share a thread. */
  readonly threadKey?: string;
  /** Default with a thread key: `REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`. */
  readonly replyOption?: MessageReplyOption;
  /** From `requestIdFor`, so a retried or repeated post is not doubled. */
  readonly requestId?: string;
}

/** What a webhook post made: the names Chat answers with. */
export interface WebhookPosted {
  /** `spaces/ID/messages/ID` of the first message. */
  readonly name?: string;
  /** `spaces/ID/threads/ID`. */
  readonly thread?: string;
  /** How many messages were sent (more than one when long text was split). */
  readonly parts: number;
}

/** Posts to spaces through their incoming webhooks. */
export interface WebhookSender {
  /** Posts `message` to `space` (`spaces/ID`). */
  send(space: string, message: WebhookMessage): Promise<WebhookPosted>;
}

/** What the sender is built from. */
export interface WebhookSenderOptions {
  readonly secrets: SecretReader;
  /** `WEBHOOK_SECRET_PREFIX`. */
  readonly secretPrefix: string;
  readonly http: OutboundHttp;
  /** `CHAT_API_URL`: a webhook URL must point there, at the space's messages. */
  readonly chatApiUrl: string;
}

/** Builds the sender. */
export function createWebhookSender(options: WebhookSenderOptions): WebhookSender {
  const allowedOrigin = new URL(options.chatApiUrl).origin;

  const urlOf = async (space: string, secret: string): Promise<URL> => {
    const text = (await options.secrets.read(secret)).trim();
    let url: URL | undefined;
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
    if (url?.origin !== allowedOrigin || url.pathname !== `/v1/${space}/messages`) {
      throw new SpacelogError(
        'misconfigured',
        `Secret ${secret} does not hold an incoming-webhook URL of ${space} on the Chat API.`,
        { space, secret },
      );
    }
    return url;
  };

  const post = async (
    url: URL,
    space: string,
    secret: string,
    body: ChatMessage,
    query: Record<string, string | undefined>,
  ) => {
    const target = new URL(url);
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) target.searchParams.set(key, value);
    try {
      const response = await options.http.send({
        call: 'chat.webhook',
        method: 'POST',
        url: target.href,
        body,
        pacedSpace: space,
        details: { space, secret },
      });
      return response.body as ChatMessage;
    } catch (err) {
      // A refused or deleted webhook may have been replaced in Secret Manager: read it again next time.
      if (
        err instanceof SpacelogError &&
        ['unauthenticated', 'forbidden', 'not-found'].includes(err.code)
      ) {
        options.secrets.invalidate(secret);
      }
      throw err;
    }
  };

  return {
    async send(space, message) {
      if (!/^spaces\/[\w-]+$/.test(space)) {
        throw new SpacelogError('invalid-input', 'Not a Chat space name.', {
          space: space.slice(0, 80),
        });
      }
      const secret = options.secretPrefix + space.slice('spaces/'.length);
      const url = await urlOf(space, secret);
      const { text, cardsV2, threadKey, replyOption, requestId } = message;
      const { parts } = splitMessage({
        ...(text !== undefined && { text }),
        ...(cardsV2 && { cardsV2: [...cardsV2] }),
      });
      const option =
        replyOption ??
        (threadKey !== undefined ? 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' : undefined);

      const [head = {}, ...tail] = parts;
      const first = await post(url, space, secret, head, {
        threadKey,
        messageReplyOption: option,
        requestId,
      });
      for (const [index, part] of tail.entries()) {
        const thread = first.thread?.name;
        await post(url, space, secret, thread ? { ...part, thread: { name: thread } } : part, {
          messageReplyOption: thread ? 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' : undefined,
          requestId:
            requestId === undefined ? undefined : requestIdFor(requestId, `part-${index + 2}`),
        });
      }
      return {
        ...(first.name && { name: first.name }),
        ...(first.thread?.name && { thread: first.thread.name }),
        parts: parts.length,
      };
    },
  };
}
