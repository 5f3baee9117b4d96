/**
 * Chat API resource shapes, taken from `@googleapis/chat` as types only:
 * `import type` is erased at compile time (`verbatimModuleSyntax`), so the
 * generated client (114 ms to import) never loads at run time. A unit test
 * checks the emitted JavaScript for it.
 */
import type { chat_v1 } from '@googleapis/chat';

/** A Chat message (`spaces.messages`). */
export type ChatMessage = chat_v1.Schema$Message;
/** A card with its id, as `cardsV2` holds them. */
export type ChatCardWithId = chat_v1.Schema$CardWithId;
/** A Chat space. */
export type ChatSpace = chat_v1.Schema$Space;
/** A membership of a space. */
export type ChatMembership = chat_v1.Schema$Membership;
/** A reaction to a message. */
export type ChatReaction = chat_v1.Schema$Reaction;
/** A message thread. */
export type ChatThread = chat_v1.Schema$Thread;
/** An emoji, Unicode or custom. */
export type ChatEmoji = chat_v1.Schema$Emoji;
/** One page of `spaces.messages.list`. */
export type ChatMessagePage = chat_v1.Schema$ListMessagesResponse;
/** One page of `spaces.list`. */
export type ChatSpacePage = chat_v1.Schema$ListSpacesResponse;
/** One page of `spaces.members.list`. */
export type ChatMembershipPage = chat_v1.Schema$ListMembershipsResponse;

/**
 * How a message joins a thread. Without one, Chat ignores the thread in the
 * body and starts a new thread.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages/create#messagereplyoption
 */
export type MessageReplyOption =
  | 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD'
  | 'REPLY_MESSAGE_OR_FAIL'
  | 'MESSAGE_REPLY_OPTION_UNSPECIFIED';
