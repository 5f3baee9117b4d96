/**
 * Google Chat's own writes that follow a synchronous answer: the app's reply
 * appears as a message from the app, or replaces the app's clicked message.
 * The Chat API stand-in is the only store of messages, so the page writes
 * them through its REST API as the app, with a `chat.bot` token obtained from
 * the OAuth stand-in with the app's service-account key.
 */
import { createPrivateKey } from 'node:crypto';
import type { chat_v1 } from '@googleapis/chat';
import type { ServiceAccountKey } from '../standins/keys.js';
import { signJwt } from '../standins/jwt.js';
import { GOOGLE_TOKEN_URL } from '../standins/oauth.js';
import type { ReplyContent } from './replies.js';

const CHAT_BOT = 'https://www.googleapis.com/auth/chat.bot';

/** Writes replies into the Chat API stand-in as the app. */
export interface ChatWriter {
  /** Posts a reply in `space`, in `thread` when given. */
  create(space: string, content: ReplyContent, thread?: string): Promise<chat_v1.Schema$Message>;
  /** Replaces the text and cards of the app's message `name`. */
  update(name: string, content: ReplyContent): Promise<chat_v1.Schema$Message>;
}

/** Builds the writer for the stand-ins at `chatApiUrl` and `tokenUrl`. */
export function createChatWriter(options: {
  readonly chatApiUrl: string;
  readonly tokenUrl: string;
  readonly key: ServiceAccountKey;
}): ChatWriter {
  let cached: { token: string; until: number } | undefined;

  const token = async (): Promise<string> => {
    if (cached && cached.until > Date.now()) return cached.token;
    const iat = Math.floor(Date.now() / 1000);
    const assertion = signJwt(
      {
        iss: options.key.client_email,
        scope: CHAT_BOT,
        aud: GOOGLE_TOKEN_URL,
        iat,
        exp: iat + 3600,
      },
      createPrivateKey(options.key.json.private_key),
      { kid: options.key.kid },
    );
    const res = await fetch(options.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion,
      }),
    });
    const body = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!res.ok || body.access_token === undefined) {
      throw new Error(`The OAuth stand-in refused the app's assertion (${res.status}).`);
    }
    cached = {
      token: body.access_token,
      until: Date.now() + ((body.expires_in ?? 3600) - 60) * 1000,
    };
    return body.access_token;
  };

  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${options.chatApiUrl}/v1/${path}`, {
      method,
      headers: { authorization: `Bearer ${await token()}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as chat_v1.Schema$Message & { error?: { message?: string } };
    if (!res.ok)
      throw new Error(`Chat API ${method} ${path}: ${res.status} ${answer.error?.message ?? ''}`);
    return answer;
  };

  const wire = (content: ReplyContent) => ({
    ...(content.text !== undefined ? { text: content.text } : {}),
    ...(content.cardsV2 !== undefined ? { cardsV2: content.cardsV2 } : {}),
    ...(content.privateMessageViewer !== undefined
      ? { privateMessageViewer: { name: content.privateMessageViewer } }
      : {}),
  });

  return {
    create: (space, content, thread) => {
      const query = thread ? '?messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' : '';
      return call('POST', `${space}/messages${query}`, {
        ...wire(content),
        ...(thread ? { thread: { name: thread } } : {}),
      });
    },
    update: (name, content) => {
      // Both fields in the mask: one the reply leaves out is cleared, as Chat replaces the message.
      const body = wire({ ...content, privateMessageViewer: undefined });
      return call('PATCH', `${name}?updateMask=text,cardsV2`, body);
    },
  };
}
