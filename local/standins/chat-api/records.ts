/**
 * What the Chat API stand-in stores, and how each record looks on the wire
 * (the JSON of Chat API v1, checked against `@googleapis/chat`'s types).
 */
import type { chat_v1 } from '@googleapis/chat';
import { formatMicros, type Micros } from './time.js';

/** Chat's kinds of space. */
export type SpaceType = 'SPACE' | 'GROUP_CHAT' | 'DIRECT_MESSAGE';

/** Chat's kinds of member. */
export type MemberType = 'HUMAN' | 'BOT';

/** A Chat user (a person, the app, or a webhook). */
export interface UserRecord {
  readonly name: string;
  readonly type: MemberType;
  readonly displayName?: string;
  readonly email?: string;
}

/** A space. */
export interface SpaceRecord {
  readonly name: string;
  readonly spaceType: SpaceType;
  readonly displayName: string;
  readonly singleUserBotDm: boolean;
  readonly customer?: string;
  readonly createTime: Micros;
}

/** One member of one space. */
export interface MembershipRecord {
  readonly name: string;
  readonly space: string;
  readonly member: string;
  readonly type: MemberType;
  readonly createTime: Micros;
}

/** What a message says; the part `messages.patch` may change. */
export interface MessageContent {
  text?: string;
  cardsV2?: unknown[];
  accessoryWidgets?: unknown[];
  fallbackText?: string;
}

/** A message, live or deleted. */
export interface MessageRecord {
  readonly name: string;
  readonly space: string;
  /** Order of creation within the stand-in; breaks createTime ties in lists. */
  readonly seq: number;
  readonly sender: string;
  readonly senderType: MemberType;
  readonly viaWebhook: boolean;
  content: MessageContent;
  readonly privateMessageViewer?: string;
  readonly thread: string;
  readonly threadKey?: string;
  readonly threadReply: boolean;
  readonly clientAssignedMessageId?: string;
  readonly createTime: Micros;
  lastUpdateTime?: Micros;
  deleteTime?: Micros;
  deletionType?: string;
}

/** A reaction to a message. */
export interface ReactionRecord {
  readonly name: string;
  readonly space: string;
  readonly message: string;
  readonly user: string;
  readonly emoji: { readonly unicode?: string };
  readonly createTime: Micros;
}

/** Finds a user's record by name, for display names on the wire. */
export type UserLookup = (name: string) => UserRecord | undefined;

/** The wire form of a user reference. */
export function userJson(name: string, type: MemberType, users: UserLookup): chat_v1.Schema$User {
  const known = users(name);
  return { name, type, ...(known?.displayName ? { displayName: known.displayName } : {}) };
}

/** The wire form of a space. */
export function spaceJson(space: SpaceRecord): chat_v1.Schema$Space {
  const dm = space.spaceType === 'DIRECT_MESSAGE';
  return {
    name: space.name,
    type: dm ? 'DM' : 'ROOM',
    spaceType: space.spaceType,
    singleUserBotDm: space.singleUserBotDm,
    ...(dm ? {} : { displayName: space.displayName }),
    ...(space.customer ? { customer: space.customer } : {}),
    spaceThreadingState: space.spaceType === 'SPACE' ? 'THREADED_MESSAGES' : 'UNTHREADED_MESSAGES',
    spaceHistoryState: 'HISTORY_ON',
    createTime: formatMicros(space.createTime),
  };
}

/** The wire form of a membership. */
export function membershipJson(
  membership: MembershipRecord,
  users: UserLookup,
): chat_v1.Schema$Membership {
  return {
    name: membership.name,
    state: 'JOINED',
    role: 'ROLE_MEMBER',
    member: userJson(membership.member, membership.type, users),
    createTime: formatMicros(membership.createTime),
  };
}

/** The wire form of a message; a deleted one shows only what Chat keeps. */
export function messageJson(message: MessageRecord, users: UserLookup): chat_v1.Schema$Message {
  const base = {
    name: message.name,
    createTime: formatMicros(message.createTime),
    thread: {
      name: message.thread,
      ...(message.threadKey ? { threadKey: message.threadKey } : {}),
    },
    space: { name: message.space },
  };
  if (message.deleteTime !== undefined) {
    return {
      ...base,
      deleteTime: formatMicros(message.deleteTime),
      deletionMetadata: { deletionType: message.deletionType ?? 'CREATOR' },
    };
  }
  const { content } = message;
  return {
    ...base,
    sender: userJson(message.sender, message.senderType, users),
    ...(content.text !== undefined ? { text: content.text, argumentText: content.text } : {}),
    ...(content.cardsV2 ? { cardsV2: content.cardsV2 as chat_v1.Schema$CardWithId[] } : {}),
    ...(content.accessoryWidgets
      ? { accessoryWidgets: content.accessoryWidgets as chat_v1.Schema$AccessoryWidget[] }
      : {}),
    ...(content.fallbackText !== undefined ? { fallbackText: content.fallbackText } : {}),
    ...(message.privateMessageViewer
      ? { privateMessageViewer: { name: message.privateMessageViewer, type: 'HUMAN' } }
      : {}),
    ...(message.clientAssignedMessageId
      ? { clientAssignedMessageId: message.clientAssignedMessageId }
      : {}),
    threadReply: message.threadReply,
    ...(message.lastUpdateTime !== undefined
      ? { lastUpdateTime: formatMicros(message.lastUpdateTime) }
      : {}),
  };
}

/** The wire form of a reaction. */
export function reactionJson(reaction: ReactionRecord, users: UserLookup): chat_v1.Schema$Reaction {
  return {
    name: reaction.name,
    user: userJson(reaction.user, 'HUMAN', users),
    emoji: { ...reaction.emoji },
  };
}
