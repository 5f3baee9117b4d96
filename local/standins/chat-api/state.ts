/**
 * The Chat API stand-in's memory: users, spaces, members, threads, messages
 * and reactions, with the bookkeeping for `requestId` and thread keys. Every
 * change is announced on `events` in its wire form, for live views and for
 * the Workspace Events stand-in.
 */
import { EventEmitter } from 'node:events';
import type { chat_v1 } from '@googleapis/chat';
import type { Clock } from '../../../shared/clock.js';
import {
  membershipJson,
  messageJson,
  reactionJson,
  spaceJson,
  type MemberType,
  type MembershipRecord,
  type MessageContent,
  type MessageRecord,
  type ReactionRecord,
  type SpaceRecord,
  type UserRecord,
} from './records.js';
import { microClock, randomId, type Micros } from './time.js';

/** A change to the stand-in's state, as emitted on `events` under its `kind`. */
export type ChatChange =
  | {
      kind: 'message';
      type: 'created' | 'updated' | 'deleted';
      space: string;
      message: chat_v1.Schema$Message;
    }
  | {
      kind: 'membership';
      type: 'created' | 'deleted';
      space: string;
      membership: chat_v1.Schema$Membership;
    }
  | { kind: 'space'; type: 'created'; space: string; resource: chat_v1.Schema$Space }
  | {
      kind: 'reaction';
      type: 'created';
      space: string;
      message: string;
      reaction: chat_v1.Schema$Reaction;
    };

/** What a new message needs; the thread is resolved beforehand. */
export interface NewMessage {
  readonly space: string;
  readonly sender: string;
  readonly senderType: MemberType;
  readonly viaWebhook?: boolean;
  readonly content: MessageContent;
  readonly privateMessageViewer?: string;
  readonly thread: { readonly name: string; readonly key?: string; readonly reply: boolean };
  readonly clientAssignedMessageId?: string;
}

const idOf = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/** All state of one Chat API stand-in. */
export class ChatState {
  readonly events = new EventEmitter();
  readonly users = new Map<string, UserRecord>();
  readonly spaces = new Map<string, SpaceRecord>();
  /** Per space: member user name → membership. */
  readonly members = new Map<string, Map<string, MembershipRecord>>();
  /** Per space, in creation order. */
  readonly messages = new Map<string, MessageRecord[]>();
  readonly messageByName = new Map<string, MessageRecord>();
  /** Per space: thread name → its key, if it has one. */
  readonly threads = new Map<string, Map<string, string | undefined>>();
  readonly reactions = new Map<string, ReactionRecord[]>();
  /** `space requestId` → message name; `principal requestId` → space name. */
  readonly messageRequests = new Map<string, string>();
  readonly spaceRequests = new Map<string, string>();
  readonly now: () => Micros;
  private seq = 0;

  constructor(
    readonly appUser: string,
    clock: Clock,
  ) {
    this.now = microClock(clock);
    this.events.setMaxListeners(100);
    this.users.set(appUser, { name: appUser, type: 'BOT', displayName: 'Spacelog' });
  }

  /** A user's record by name; finds `users/{email}` too. */
  readonly user = (name: string): UserRecord | undefined =>
    this.users.get(name) ?? [...this.users.values()].find((u) => `users/${u.email}` === name);

  /** The canonical `users/{id}` for a name that may use an email address. */
  canonicalUser(name: string): string {
    return name === 'users/app' ? this.appUser : (this.user(name)?.name ?? name);
  }

  /** Creates a space with no members. */
  createSpace(input: Omit<SpaceRecord, 'name' | 'createTime'> & { name?: string }): SpaceRecord {
    const name = input.name ?? `spaces/AAAA${randomId(7)}`;
    const space: SpaceRecord = { ...input, name, createTime: this.now() };
    this.spaces.set(name, space);
    this.members.set(name, new Map());
    this.messages.set(name, []);
    this.threads.set(name, new Map());
    this.emit({ kind: 'space', type: 'created', space: name, resource: spaceJson(space) });
    return space;
  }

  /** Adds a member (idempotent: an existing membership is returned as is). */
  addMember(space: string, member: string, type: MemberType): MembershipRecord {
    const roster = this.rosterOf(space);
    const existing = roster.get(member);
    if (existing) return existing;
    const record = {
      name: `${space}/members/${idOf(member)}`,
      space,
      member,
      type,
      createTime: this.now(),
    };
    roster.set(member, record);
    this.emit({
      kind: 'membership',
      type: 'created',
      space,
      membership: membershipJson(record, this.user),
    });
    return record;
  }

  /** Removes a member; false when it was not one. */
  removeMember(space: string, member: string): boolean {
    const record = this.rosterOf(space).get(member);
    if (!record) return false;
    this.rosterOf(space).delete(member);
    const membership = { ...membershipJson(record, this.user), state: 'NOT_A_MEMBER' };
    this.emit({ kind: 'membership', type: 'deleted', space, membership });
    return true;
  }

  /** Whether `member` (a canonical user name) is in `space`. */
  isMember(space: string, member: string): boolean {
    return this.members.get(space)?.has(member) ?? false;
  }

  /** The members of a space, oldest first. */
  rosterOf(space: string): Map<string, MembershipRecord> {
    const roster = this.members.get(space);
    if (!roster) throw new Error(`unknown space ${space}`);
    return roster;
  }

  /** The spaces `member` belongs to, oldest first. */
  spacesOf(member: string): SpaceRecord[] {
    return [...this.spaces.values()].filter((s) => this.isMember(s.name, member));
  }

  /** The direct message whose members are exactly `a` and `b`. */
  directMessage(a: string, b: string): SpaceRecord | undefined {
    return [...this.spaces.values()].find((space) => {
      if (space.spaceType !== 'DIRECT_MESSAGE') return false;
      const roster = this.rosterOf(space.name);
      return roster.size === 2 && roster.has(a) && roster.has(b);
    });
  }

  /** A thread's key, or `null` when the thread does not exist in the space. */
  threadKeyOf(space: string, thread: string): string | undefined | null {
    const threads = this.threads.get(space);
    return threads?.has(thread) ? threads.get(thread) : null;
  }

  /** The thread carrying `key` in `space`, if any. */
  threadWithKey(space: string, key: string): string | undefined {
    for (const [name, k] of this.threads.get(space) ?? []) if (k === key) return name;
    return undefined;
  }

  /** Starts a thread, with a key if given. */
  newThread(space: string, key?: string): string {
    const name = `${space}/threads/${randomId()}`;
    this.threads.get(space)?.set(name, key);
    return name;
  }

  /** Records a message. */
  createMessage(input: NewMessage): MessageRecord {
    const record: MessageRecord = {
      name: `${input.space}/messages/${randomId()}.${randomId()}`,
      space: input.space,
      seq: ++this.seq,
      sender: input.sender,
      senderType: input.senderType,
      viaWebhook: input.viaWebhook ?? false,
      content: input.content,
      thread: input.thread.name,
      threadReply: input.thread.reply,
      createTime: this.now(),
      ...(input.thread.key !== undefined ? { threadKey: input.thread.key } : {}),
      ...(input.privateMessageViewer ? { privateMessageViewer: input.privateMessageViewer } : {}),
      ...(input.clientAssignedMessageId
        ? { clientAssignedMessageId: input.clientAssignedMessageId }
        : {}),
    };
    this.messages.get(input.space)?.push(record);
    this.messageByName.set(record.name, record);
    if (record.clientAssignedMessageId) {
      this.messageByName.set(`${input.space}/messages/${record.clientAssignedMessageId}`, record);
    }
    this.emitMessage('created', record);
    return record;
  }

  /** Replaces fields of a message's content. */
  updateMessage(record: MessageRecord, content: MessageContent): void {
    record.content = { ...record.content, ...content };
    record.lastUpdateTime = this.now();
    this.emitMessage('updated', record);
  }

  /** Marks a message deleted, as Chat does (it stays listable with `showDeleted`). */
  deleteMessage(record: MessageRecord, deletionType = 'CREATOR'): void {
    record.deleteTime = this.now();
    record.deletionType = deletionType;
    this.emitMessage('deleted', record);
  }

  /** Records a reaction. */
  addReaction(message: MessageRecord, user: string, emoji: { unicode?: string }): ReactionRecord {
    const list = this.reactions.get(message.name) ?? [];
    this.reactions.set(message.name, list);
    const reaction: ReactionRecord = {
      name: `${message.name}/reactions/${randomId()}`,
      space: message.space,
      message: message.name,
      user,
      emoji,
      createTime: this.now(),
    };
    list.push(reaction);
    this.emit({
      kind: 'reaction',
      type: 'created',
      space: message.space,
      message: message.name,
      reaction: reactionJson(reaction, this.user),
    });
    return reaction;
  }

  private emitMessage(type: 'created' | 'updated' | 'deleted', record: MessageRecord): void {
    const message = messageJson(record, this.user);
    this.emit({ kind: 'message', type, space: record.space, message });
  }

  private emit(change: ChatChange): void {
    this.events.emit(change.kind, change);
  }
}
