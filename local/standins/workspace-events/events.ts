/**
 * Chat's Workspace Events: which event types exist, which scopes allow
 * subscribing to them, and how a change the Chat API stand-in records
 * becomes a CloudEvent in Pub/Sub attributes with a JSON payload.
 * https://developers.google.com/workspace/events/guides/events-chat
 */
import { randomUUID } from 'node:crypto';
import type { ChatChange } from '../chat-api.js';

/** Event types of Chat resources, with the scopes that allow each under user and app auth. */
export const CHAT_EVENT_TYPES: Readonly<Record<string, { user: string[]; app: string[] }>> =
  (() => {
    const table: Record<string, { user: string[]; app: string[] }> = {};
    const kinds = {
      message: {
        user: ['chat.messages.readonly', 'chat.messages'],
        app: ['chat.app.messages.readonly'],
        verbs: ['created', 'updated', 'deleted'],
      },
      membership: {
        user: ['chat.memberships.readonly', 'chat.memberships'],
        app: ['chat.app.memberships'],
        verbs: ['created', 'updated', 'deleted'],
      },
      reaction: {
        user: [
          'chat.messages.reactions.readonly',
          'chat.messages.reactions',
          'chat.messages.readonly',
          'chat.messages',
        ],
        app: ['chat.app.messages.readonly'],
        verbs: ['created', 'deleted'],
      },
      space: {
        user: ['chat.spaces.readonly', 'chat.spaces'],
        app: ['chat.app.spaces'],
        verbs: ['updated', 'deleted'],
      },
    };
    for (const [kind, { user, app, verbs }] of Object.entries(kinds)) {
      for (const verb of verbs) {
        const batch = `batch${verb[0]?.toUpperCase()}${verb.slice(1)}`;
        table[`google.workspace.chat.${kind}.v1.${verb}`] = { user, app };
        table[`google.workspace.chat.${kind}.v1.${batch}`] = { user, app };
      }
    }
    return table;
  })();

/** Lifecycle event types, sent whatever the subscription's event types. */
export const LIFECYCLE = {
  expirationReminder: 'google.workspace.events.subscription.v1.expirationReminder',
  expired: 'google.workspace.events.subscription.v1.expired',
  suspended: 'google.workspace.events.subscription.v1.suspended',
} as const;

/** A Pub/Sub message as the `publish` option receives it. */
export interface PubsubMessage {
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
}

/** A CloudEvent in Pub/Sub binary form: `ce-*` attributes and JSON data. */
export function cloudEvent(
  type: string,
  source: string,
  subject: string,
  time: string,
  data: unknown,
): PubsubMessage {
  return {
    data: Buffer.from(JSON.stringify(data)),
    attributes: {
      'ce-id': randomUUID(),
      'ce-specversion': '1.0',
      'ce-type': type,
      'ce-source': source,
      'ce-subject': subject,
      'ce-time': time,
      'ce-datacontenttype': 'application/json',
    },
  };
}

/** What a Chat change means for subscribers: its event type, subject, time and payload. */
export interface ChatEvent {
  readonly type: string;
  readonly batchType: string;
  /** `//chat.googleapis.com/spaces/…/messages/…` and the like. */
  readonly subject: string;
  readonly time: string;
  /** The payload key (`message`, `membership`, `reaction`) and the full resource. */
  readonly key: string;
  readonly resource: { readonly name?: string | null };
}

/** The Workspace event of a Chat change, or `undefined` when there is none to send. */
export function chatEventOf(change: ChatChange, now: string): ChatEvent | undefined {
  let key: string;
  let resource: { readonly name?: string | null };
  let time = now;
  switch (change.kind) {
    case 'message':
      key = 'message';
      resource = change.message;
      time =
        change.message.deleteTime ??
        change.message.lastUpdateTime ??
        change.message.createTime ??
        now;
      break;
    case 'membership':
      key = 'membership';
      resource = change.membership;
      break;
    case 'reaction':
      key = 'reaction';
      resource = change.reaction;
      break;
    default:
      // A space's creation is not an event subscribers can receive.
      return undefined;
  }
  const verb = change.type;
  const batch = `batch${verb[0]?.toUpperCase()}${verb.slice(1)}`;
  return {
    type: `google.workspace.chat.${key}.v1.${verb}`,
    batchType: `google.workspace.chat.${key}.v1.${batch}`,
    subject: `//chat.googleapis.com/${resource.name ?? change.space}`,
    time,
    key,
    resource,
  };
}

/** The event's payload, with the whole resource or only its name. */
export function eventData(event: ChatEvent, includeResource: boolean, batch: boolean): unknown {
  const item = { [event.key]: includeResource ? event.resource : { name: event.resource.name } };
  return batch ? { [`${event.key}s`]: [item] } : item;
}
