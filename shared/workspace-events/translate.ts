/**
 * Chat resources reported by Workspace Events (or listed during catch-up) as
 * log events. Ids come from the Chat resource name and what happened to it,
 * so the same message seen through an event and through catch-up, or
 * delivered twice, is one event in the log.
 * https://developers.google.com/workspace/events/guides/events-chat
 */
import { newEvent, spaceStream, type Actor, type NewEvent } from '../eventlog/index.js';
import type { ChatMessage } from '../outbound/index.js';

/** A CloudEvent as Pub/Sub carries it, with its JSON data decoded. */
export interface WorkspaceEvent {
  /** `ce-type`, such as `google.workspace.chat.message.v1.created`. */
  readonly type: string;
  /** `ce-subject`: the resource, such as `//chat.googleapis.com/spaces/A/messages/B`. */
  readonly subject?: string;
  /** `ce-id`. */
  readonly id?: string;
  /** `ce-time` (ISO 8601). */
  readonly time?: string;
  readonly data: unknown;
}

interface User {
  readonly name?: string | null;
  readonly displayName?: string | null;
  readonly type?: string | null;
}
interface Membership {
  readonly name?: string | null;
  readonly member?: User | null;
  readonly createTime?: string | null;
  readonly deleteTime?: string | null;
}
interface Reaction {
  readonly name?: string | null;
  readonly user?: User | null;
  readonly emoji?: {
    readonly unicode?: string | null;
    readonly customEmoji?: { uid?: string | null } | null;
  } | null;
}

const PREFIX = 'google.workspace.chat.';
const SPACE_OF = /^(?:\/\/chat\.googleapis\.com\/)?(spaces\/[\w-]+)/;
const WORKSPACE_EVENTS: Actor = { kind: 'system', id: 'workspace-events' };

/** The `spaces/ID` a Chat resource name (or CloudEvent subject) belongs to. */
export function spaceOfResource(name: string | null | undefined): string | undefined {
  return SPACE_OF.exec(name ?? '')?.[1];
}

/** The log event of a message Chat created. */
export function messageCreated(message: ChatMessage, fallbackTime: string): NewEvent | undefined {
  const space = spaceOfResource(message.name);
  if (space === undefined || !message.name || !message.sender?.name) return undefined;
  return newEvent('SpaceMessageCreated', {
    id: `chat:${message.name}:created`,
    stream: spaceStream(space),
    occurredAt: isoOr(message.createTime, fallbackTime),
    causedBy: { kind: 'user', id: message.sender.name },
    payload: {
      messageName: message.name,
      sender: message.sender.name,
      ...(message.thread?.name && { threadName: message.thread.name }),
      textLength: Buffer.byteLength(message.text ?? ''),
      ...(message.text !== undefined &&
        message.text !== null && { text: message.text.slice(0, 32_000) }),
    },
  });
}

/**
 * The log events of one CloudEvent: none for event types Spacelog does not
 * record (space changes, role changes, lifecycle events) or for resources
 * without the fields an event needs.
 */
export function logEventsOf(event: WorkspaceEvent): NewEvent[] {
  if (!event.type.startsWith(PREFIX)) return [];
  const [kind, , verb = ''] = event.type.slice(PREFIX.length).split('.');
  const time = isoOr(event.time, new Date(0).toISOString());
  const items = itemsOf(event.data, kind ?? '', verb.startsWith('batch'));
  const single = verb.startsWith('batch') ? verb.slice(5).toLowerCase() : verb;
  return items
    .map((item) => translate(kind ?? '', single, item, time))
    .filter((e): e is NewEvent => e !== undefined);
}

function itemsOf(data: unknown, kind: string, batch: boolean): unknown[] {
  const body = (data ?? {}) as Record<string, unknown>;
  if (!batch) return body[kind] === undefined ? [] : [body[kind]];
  const list = body[`${kind}s`];
  return Array.isArray(list)
    ? list
        .map((entry) => (entry as Record<string, unknown> | null)?.[kind])
        .filter((x) => x !== undefined)
    : [];
}

function translate(kind: string, verb: string, item: unknown, time: string): NewEvent | undefined {
  if (kind === 'message') return messageEvent(verb, item as ChatMessage, time);
  if (kind === 'membership') return membershipEvent(verb, item as Membership, time);
  if (kind === 'reaction') return reactionEvent(verb, item as Reaction, time);
  return undefined;
}

function messageEvent(verb: string, message: ChatMessage, time: string): NewEvent | undefined {
  const space = spaceOfResource(message.name);
  if (space === undefined || !message.name) return undefined;
  if (verb === 'created') return messageCreated(message, time);
  const stream = spaceStream(space);
  if (verb === 'updated') {
    const at = isoOr(message.lastUpdateTime, time);
    return newEvent('SpaceMessageUpdated', {
      id: `chat:${message.name}:updated:${at}`,
      stream,
      occurredAt: at,
      causedBy: message.sender?.name ? { kind: 'user', id: message.sender.name } : WORKSPACE_EVENTS,
      payload: {
        messageName: message.name,
        ...(message.sender?.name && { sender: message.sender.name }),
        ...(typeof message.text === 'string' && {
          textLength: Buffer.byteLength(message.text),
          text: message.text.slice(0, 32_000),
        }),
      },
    });
  }
  if (verb === 'deleted') {
    return newEvent('SpaceMessageDeleted', {
      id: `chat:${message.name}:deleted`,
      stream,
      occurredAt: isoOr(message.deleteTime, time),
      causedBy: WORKSPACE_EVENTS,
      payload: { messageName: message.name },
    });
  }
  return undefined;
}

function membershipEvent(verb: string, m: Membership, time: string): NewEvent | undefined {
  const space = spaceOfResource(m.name);
  const member = m.member?.name;
  if (space === undefined || !m.name || !member) return undefined;
  const stream = spaceStream(space);
  if (verb === 'created') {
    const at = isoOr(m.createTime, time);
    return newEvent('MemberJoined', {
      id: `chat:${m.name}:joined:${at}`,
      stream,
      occurredAt: at,
      causedBy: WORKSPACE_EVENTS,
      payload: {
        member,
        ...(m.member?.displayName && { displayName: m.member.displayName.slice(0, 512) }),
        ...(m.member?.type && { memberType: m.member.type }),
      },
    });
  }
  if (verb === 'deleted') {
    const at = isoOr(m.deleteTime, time);
    return newEvent('MemberLeft', {
      id: `chat:${m.name}:left:${at}`,
      stream,
      occurredAt: at,
      causedBy: WORKSPACE_EVENTS,
      payload: { member },
    });
  }
  return undefined;
}

function reactionEvent(verb: string, r: Reaction, time: string): NewEvent | undefined {
  const messageName = /^(spaces\/[\w-]+\/messages\/[\w.-]+)\/reactions\//.exec(r.name ?? '')?.[1];
  const user = r.user?.name;
  const space = spaceOfResource(r.name);
  // A deleted reaction may come with its name only; without its user it is not recorded.
  if (space === undefined || !r.name || messageName === undefined || !user) return undefined;
  const emoji = r.emoji?.unicode ?? r.emoji?.customEmoji?.uid ?? undefined;
  const payload = { messageName, user, ...(emoji && { emoji: emoji.slice(0, 128) }) };
  const common = {
    stream: spaceStream(space),
    occurredAt: time,
    causedBy: { kind: 'user', id: user } as const,
  };
  if (verb === 'created') {
    return newEvent('ReactionAdded', { ...common, id: `chat:${r.name}:added`, payload });
  }
  if (verb === 'deleted') {
    return newEvent('ReactionRemoved', { ...common, id: `chat:${r.name}:removed`, payload });
  }
  return undefined;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/;

/** Chat's times (with microseconds) as sent when the log accepts them, else normalised. */
function isoOr(value: string | null | undefined, fallback: string): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return fallback;
  return ISO.test(value) ? value : new Date(Date.parse(value)).toISOString();
}
