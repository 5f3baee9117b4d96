/**
 * The Chat REST API client as callers see it: the methods Spacelog calls,
 * their inputs and results. Each method takes the principal it acts as
 * (default: the app); `auth-table.ts` decides which credential that means.
 * The implementation over `fetch` is in `chat-rest-client.ts`; unit tests of
 * callers fake this interface.
 * https://developers.google.com/workspace/chat/api/reference/rest
 */
import type { Principal } from './auth-table.js';
import type {
  ChatEmoji,
  ChatMembership,
  ChatMembershipPage,
  ChatMessage,
  ChatMessagePage,
  ChatReaction,
  ChatSpace,
  ChatSpacePage,
  MessageReplyOption,
} from './chat-types.js';

/** Input of {@link ChatClient.createMessage}. */
export interface CreateMessageInput {
  /** `spaces/ID`. */
  readonly space: string;
  readonly message: ChatMessage;
  /** From `requestIdFor(causingEventId, purpose)`; split parts derive their own from it. */
  readonly requestId: string;
  /** Reply in this thread (by name or key). */
  readonly thread?: { readonly name?: string; readonly threadKey?: string };
  /** Default with a thread: `REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`. */
  readonly replyOption?: MessageReplyOption;
  /** A custom id (`client-...`, see `messageIdFor`) to address the message by later. */
  readonly messageId?: string;
}

/** What {@link ChatClient.createMessage} sent. */
export interface PostedMessage {
  /** The first (or only) message: the one to refer to. */
  readonly message: ChatMessage;
  /** Every message sent, in order; more than one when long text was split. */
  readonly messages: readonly ChatMessage[];
  /** True when cards were trimmed to fit. */
  readonly trimmed: boolean;
}

/** A page request of a list method. */
export interface PageInput {
  readonly pageSize?: number;
  readonly pageToken?: string;
  readonly filter?: string;
}

/** What {@link ChatClient.createMember} did. */
export type MemberAdded =
  | { readonly status: 'created'; readonly membership: ChatMembership }
  | { readonly status: 'already-member' };

/** The Chat API methods Spacelog calls; each takes the principal it acts as (default: the app). */
export interface ChatClient {
  createMessage(input: CreateMessageInput, as?: Principal): Promise<PostedMessage>;
  getMessage(name: string, as?: Principal): Promise<ChatMessage>;
  /** `updateMask` such as `['text', 'cardsV2']`; oversize content is cut to fit. */
  updateMessage(
    input: {
      readonly name: string;
      readonly message: ChatMessage;
      readonly updateMask: readonly string[];
    },
    as?: Principal,
  ): Promise<ChatMessage>;
  /** Resolves false when the message was already gone. */
  deleteMessage(name: string, as?: Principal): Promise<boolean>;
  listMessages(
    input: PageInput & {
      readonly space: string;
      readonly orderBy?: string;
      readonly showDeleted?: boolean;
    },
    as?: Principal,
  ): Promise<ChatMessagePage>;
  getSpace(name: string, as?: Principal): Promise<ChatSpace>;
  listSpaces(input?: PageInput, as?: Principal): Promise<ChatSpacePage>;
  /** App-approved: `space.customer` must be `customers/my_customer`. */
  createSpace(
    input: { readonly space: ChatSpace; readonly requestId: string },
    as?: Principal,
  ): Promise<ChatSpace>;
  /** User auth only (delegated or signed in). */
  setUpSpace(
    input: {
      readonly space: ChatSpace;
      readonly requestId: string;
      readonly memberships?: readonly ChatMembership[];
    },
    as: Principal,
  ): Promise<ChatSpace>;
  /** The direct-message space with `user` (`users/ID`), or undefined when there is none. */
  findDirectMessage(user: string, as?: Principal): Promise<ChatSpace | undefined>;
  /** Adds a member; adding the app itself (`users/app`) asks only for `chat.memberships.app`. */
  createMember(
    input: { readonly space: string; readonly membership: ChatMembership },
    as?: Principal,
  ): Promise<MemberAdded>;
  listMembers(
    input: PageInput & {
      readonly space: string;
      readonly showGroups?: boolean;
      readonly showInvited?: boolean;
    },
    as?: Principal,
  ): Promise<ChatMembershipPage>;
  /** User auth only. */
  createReaction(
    input: { readonly message: string; readonly emoji: ChatEmoji },
    as: Principal,
  ): Promise<ChatReaction>;
}
