/**
 * `spaces.messages.create`, for the app, a user or an incoming webhook:
 * `requestId` idempotency, custom `messageId`s, the 32,000-byte limit and the
 * `messageReplyOption` threading rules.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create
 */
import {
  alreadyExists,
  invalidArgument,
  notFound,
  objectBody,
  objectField,
  ok,
  requireSpace,
  stringField,
  type Reply,
  type RouteContext,
} from './context.js';
import { messageJson, type MessageContent, type MessageRecord } from './records.js';
import type { ChatState } from './state.js';

/** Chat's limit on a message's text and cards together, in UTF-8 bytes. */
export const MAX_MESSAGE_BYTES = 32_000;

const REPLY_OPTIONS = [
  'MESSAGE_REPLY_OPTION_UNSPECIFIED',
  'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
  'REPLY_MESSAGE_OR_FAIL',
] as const;

const CLIENT_ID = /^client-[a-z0-9-]+$/;

/** Reads and checks the content fields of a message body (create or patch). */
export function contentOf(body: Record<string, unknown>, byUser: boolean): MessageContent {
  const content: MessageContent = {};
  if (body.text !== undefined) {
    if (typeof body.text !== 'string') invalidArgument('text must be a string.');
    content.text = body.text;
  }
  for (const key of ['cardsV2', 'accessoryWidgets'] as const) {
    if (body[key] === undefined) continue;
    if (!Array.isArray(body[key])) invalidArgument(`${key} must be a list.`);
    if (byUser) invalidArgument(`Only Chat apps can send ${key}; user authentication sends text.`);
    content[key] = body[key] as unknown[];
  }
  const fallback = stringField(body, 'fallbackText');
  if (fallback !== undefined) content.fallbackText = fallback;
  return content;
}

/** Refuses content over 32,000 bytes (text plus the JSON of the cards). */
export function checkSize(content: MessageContent): void {
  const bytes =
    Buffer.byteLength(content.text ?? '', 'utf8') +
    (content.cardsV2 ? Buffer.byteLength(JSON.stringify(content.cardsV2), 'utf8') : 0);
  if (bytes > MAX_MESSAGE_BYTES) {
    invalidArgument(`Message too large: ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES}.`);
  }
}

function resolveThread(
  state: ChatState,
  space: string,
  body: Record<string, unknown>,
  query: URLSearchParams,
): { name: string; key?: string; reply: boolean } {
  const option = query.get('messageReplyOption') ?? 'MESSAGE_REPLY_OPTION_UNSPECIFIED';
  if (!(REPLY_OPTIONS as readonly string[]).includes(option)) {
    invalidArgument(`Unknown messageReplyOption: ${option.slice(0, 60)}`);
  }
  // Without a reply option Chat ignores any thread in the request.
  if (option === 'MESSAGE_REPLY_OPTION_UNSPECIFIED') {
    return { name: state.newThread(space), reply: false };
  }

  const thread = objectField(body, 'thread');
  const threadName = stringField(thread, 'name');
  const key = stringField(thread, 'threadKey') ?? query.get('threadKey') ?? undefined;
  if (key !== undefined && key.length > 4000) invalidArgument('threadKey is too long.');
  if (threadName !== undefined) {
    const existingKey = state.threadKeyOf(space, threadName);
    if (existingKey !== null) {
      return { name: threadName, reply: true, ...(existingKey ? { key: existingKey } : {}) };
    }
  }
  if (key !== undefined && threadName === undefined) {
    const byKey = state.threadWithKey(space, key);
    if (byKey) return { name: byKey, key, reply: true };
  }
  if (option === 'REPLY_MESSAGE_OR_FAIL' && (threadName !== undefined || key !== undefined)) {
    notFound('Thread not found; messageReplyOption is REPLY_MESSAGE_OR_FAIL.');
  }
  const newKey = threadName === undefined ? key : undefined;
  return { name: state.newThread(space, newKey), reply: false, ...(newKey ? { key: newKey } : {}) };
}

/** What a webhook gets back: what it sent, plus the message's and thread's names. */
function webhookReply(record: MessageRecord, body: Record<string, unknown>): Reply {
  const thread = objectField(body, 'thread') ?? {};
  return ok({ ...body, name: record.name, thread: { ...thread, name: record.thread } });
}

/** `spaces.messages.create`. */
export function createMessage(ctx: RouteContext): Reply {
  const { state, caller, query } = ctx;
  const space = requireSpace(ctx);
  const body = objectBody(ctx.body);
  const requestId = query.get('requestId');
  const reply = (record: MessageRecord) =>
    caller.kind === 'webhook' ? webhookReply(record, body) : ok(messageJson(record, state.user));

  if (requestId) {
    const first = state.messageByName.get(
      state.messageRequests.get(`${space.name} ${requestId}`) ?? '',
    );
    if (first) return reply(first);
  }
  const messageId = query.get('messageId') ?? undefined;
  if (messageId !== undefined) {
    if (messageId.length > 63 || !CLIENT_ID.test(messageId)) {
      invalidArgument(
        'messageId must start with "client-", use a-z, 0-9 and "-", and be at most 63 characters.',
      );
    }
    if (state.messageByName.has(`${space.name}/messages/${messageId}`)) {
      alreadyExists('A message with this messageId already exists in the space.');
    }
  }
  const content = contentOf(body, caller.kind === 'user');
  if (!content.text && !content.cardsV2?.length) invalidArgument('Message cannot be empty.');
  checkSize(content);
  const viewer = stringField(objectField(body, 'privateMessageViewer'), 'name');
  if (viewer !== undefined && caller.kind !== 'app') {
    invalidArgument('Private messages need app authentication.');
  }

  const record = state.createMessage({
    space: space.name,
    sender: caller.user,
    senderType: caller.kind === 'user' ? 'HUMAN' : 'BOT',
    viaWebhook: caller.kind === 'webhook',
    content,
    thread: resolveThread(state, space.name, body, query),
    ...(viewer !== undefined ? { privateMessageViewer: state.canonicalUser(viewer) } : {}),
    ...(messageId !== undefined ? { clientAssignedMessageId: messageId } : {}),
  });
  if (requestId) state.messageRequests.set(`${space.name} ${requestId}`, record.name);
  return reply(record);
}
