/**
 * Sending a reply through the Chat REST API, for interactions that arrived
 * over Pub/Sub, where there is no synchronous answer. The reply value is the
 * one the app decided (`shared/interaction/reply.ts`); `apiActionOf` says
 * what it becomes:
 * - a new message: `spaces.messages.create` with app auth, in the
 *   interaction's thread (`messageReplyOption`), with a `requestId` derived
 *   from the interaction id, so repeated deliveries post one message;
 * - replacing the clicked message: `spaces.messages.patch`;
 * - a sign-in prompt (REQUEST_CONFIG cannot be sent through the API): a
 *   private message with the link (`privateMessageViewer`, app auth only);
 * - a dialog (the API cannot open one): a private text saying so;
 * - widget suggestions and link previews: nothing (they only exist as
 *   synchronous answers).
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create
 */
import { appendRetryingRaces, causedEventId } from '../app/record.js';
import type { Clock } from '../clock.js';
import { newEvent, spaceStream, type EventStore } from '../eventlog/index.js';
import type { Interaction } from '../interaction/model.js';
import { privatelyTo, type Reply, type ReplyMessage } from '../interaction/reply.js';
import type { Logger } from '../log.js';
import {
  requestIdFor,
  type ChatCardWithId,
  type ChatClient,
  type ChatMessage,
} from '../outbound/index.js';

/** What a reply becomes at the API. */
export type ApiAction =
  | { readonly kind: 'create'; readonly message: ChatMessage; readonly thread?: string }
  | { readonly kind: 'update'; readonly name: string; readonly message: ChatMessage }
  | { readonly kind: 'none'; readonly why: string };

/** Text sent instead of a dialog, which the API cannot open. */
export const NO_DIALOG_TEXT =
  'This needs a dialog, which Spacelog cannot open here. Please try it from the Chat app directly.';

/** The API action of `reply` to `interaction`. */
export function apiActionOf(interaction: Interaction, reply: Reply): ApiAction {
  const privately = privatelyTo(interaction);
  const thread = interaction.message?.threadName;
  const create = (message: ChatMessage): ApiAction => ({
    kind: 'create',
    message,
    ...(thread !== undefined && { thread }),
  });
  switch (reply.kind) {
    case 'message':
      return create(chatMessageOf(reply.message));
    case 'update-message': {
      const clicked = interaction.kind === 'card-click' ? interaction.message?.name : undefined;
      const message = chatMessageOf(reply.message);
      return clicked === undefined ? create(message) : { kind: 'update', name: clicked, message };
    }
    case 'request-config':
      return create(
        chatMessageOf({
          text: `Sign in to let Spacelog do this as you: ${reply.authorizationUrl}`,
          ...privately,
        }),
      );
    case 'dialog-open':
      return create(chatMessageOf({ text: NO_DIALOG_TEXT, ...privately }));
    case 'dialog-close':
      return reply.notice === undefined
        ? { kind: 'none', why: 'dialog-close' }
        : create(chatMessageOf({ text: reply.notice, ...privately }));
    case 'update-user-message-cards':
    case 'update-widget':
    case 'nothing':
      return { kind: 'none', why: reply.kind };
  }
}

/** A reply message as the API's Message. */
export function chatMessageOf(message: ReplyMessage): ChatMessage {
  return {
    ...(message.text !== undefined && { text: message.text }),
    ...(message.cardsV2 !== undefined && { cardsV2: [...message.cardsV2] as ChatCardWithId[] }),
    ...(message.privateTo !== undefined && { privateMessageViewer: { name: message.privateTo } }),
  };
}

/** What sending needs. */
export interface ReplyDeps {
  readonly chat: Pick<ChatClient, 'createMessage' | 'updateMessage'>;
  readonly events: EventStore;
  readonly clock: Clock;
}

/**
 * Sends `reply` for `interaction` and, for a new message, records
 * `MessagePosted` in the space (once: its id derives from the interaction).
 * Resolves to what was done.
 */
export async function sendReply(
  deps: ReplyDeps,
  interaction: Interaction,
  reply: Reply,
  log: Logger,
): Promise<ApiAction['kind']> {
  const action = apiActionOf(interaction, reply);
  const space = interaction.space.name;
  if (action.kind === 'none') {
    log.debug('Reply needs no API call.', { why: action.why });
    return 'none';
  }
  if (action.kind === 'update') {
    await deps.chat.updateMessage({
      name: action.name,
      message: action.message,
      updateMask: ['text', 'cardsV2'],
    });
    return 'update';
  }

  const requestId = requestIdFor(interaction.id, 'reply');
  const posted = await deps.chat.createMessage({
    space,
    message: action.message,
    requestId,
    ...(action.thread !== undefined && { thread: { name: action.thread } }),
  });
  const name = posted.message.name;
  if (typeof name === 'string' && name !== '') {
    const threadName = posted.message.thread?.name;
    await appendRetryingRaces(
      deps.events,
      newEvent('MessagePosted', {
        id: causedEventId(interaction.id, 'MessagePosted.reply'),
        stream: spaceStream(space),
        occurredAt: deps.clock.now(),
        causedBy: { kind: 'app' },
        payload: {
          messageName: name,
          requestId,
          purpose: 'reply',
          ...(typeof threadName === 'string' && threadName !== '' && { threadName }),
        },
      }),
    );
  }
  return 'create';
}
