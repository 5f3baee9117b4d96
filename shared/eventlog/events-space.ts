/**
 * Events of a space's stream (`space:ID`): the app joining and leaving, the
 * interactions Chat sent, digest settings and deliveries, what the app
 * posted, and what Workspace Events reported about members, messages and
 * reactions. Adding a type here is the whole change.
 */
import * as v from 'valibot';
import { count, defineEvent, ianaZone, isoTime, messageText, name, timeOfDay } from './define.js';

const space = ['space'] as const;

/** Definitions of the space stream's events, by type. */
export const SPACE_EVENTS = {
  /** The app was added to a space (or a DM was opened with it). */
  AppAddedToSpace: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      spaceName: name(),
      spaceType: v.picklist(['SPACE', 'GROUP_CHAT', 'DIRECT_MESSAGE']),
      displayName: v.optional(v.pipe(v.string(), v.maxLength(512))),
      timeZone: v.optional(ianaZone()),
    }),
  }),

  /** The app was removed from a space; no more digests go there. */
  AppRemovedFromSpace: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({ spaceName: name() }),
  }),

  /**
   * Chat sent the app an interaction event. `text` is kept only when the
   * store keeps message text; `textLength` always is.
   */
  InteractionReceived: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      kind: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
      format: v.picklist(['classic', 'add-on']),
      via: v.picklist(['http', 'pubsub']),
      spaceName: name(),
      userName: name(),
      userType: v.optional(name()),
      messageName: v.optional(name()),
      threadName: v.optional(name()),
      commandId: v.optional(name()),
      commandName: v.optional(name()),
      actionName: v.optional(name()),
      textLength: v.optional(count()),
      text: v.optional(messageText()),
    }),
  }),

  /** Someone changed the space's digest settings. */
  DigestSettingsChanged: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      enabled: v.boolean(),
      cadence: v.picklist(['daily', 'weekly']),
      timeOfDay: timeOfDay(),
      /** ISO weekday, 1 = Monday; required in practice for `weekly`. */
      weekday: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(7))),
      timeZone: ianaZone(),
      quiet: v.optional(v.picklist(['note', 'skip'])),
      delivery: v.optional(v.picklist(['api', 'webhook'])),
    }),
  }),

  /** The app posted a message in the space (`purpose`: reply, digest, incident, ...). */
  MessagePosted: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      messageName: name(),
      threadName: v.optional(name()),
      requestId: name(),
      purpose: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
    }),
  }),

  /**
   * A digest covering the space stream up to `checkpointVersion` (inclusive)
   * was posted for the period [periodStart, periodEnd).
   */
  DigestPosted: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      periodStart: isoTime(),
      periodEnd: isoTime(),
      checkpointVersion: count(),
      messageName: v.optional(name()),
      requestId: name(),
      delivery: v.picklist(['api', 'webhook']),
    }),
  }),

  /** A digest period ended without a digest (quiet period with `skip`, ...). */
  DigestSkipped: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      periodStart: isoTime(),
      periodEnd: isoTime(),
      checkpointVersion: count(),
      reason: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
    }),
  }),

  /** A member joined the space (Workspace Events or an interaction). */
  MemberJoined: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      member: name(),
      displayName: v.optional(v.pipe(v.string(), v.maxLength(512))),
      memberType: v.optional(name()),
    }),
  }),

  /** A member left or was removed from the space. */
  MemberLeft: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({ member: name() }),
  }),

  /** A message was created in the space (Workspace Events). */
  SpaceMessageCreated: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      messageName: name(),
      sender: name(),
      threadName: v.optional(name()),
      textLength: count(),
      text: v.optional(messageText()),
    }),
  }),

  /** A message in the space was edited. */
  SpaceMessageUpdated: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      messageName: name(),
      sender: v.optional(name()),
      textLength: v.optional(count()),
      text: v.optional(messageText()),
    }),
  }),

  /** A message in the space was deleted. */
  SpaceMessageDeleted: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({ messageName: name() }),
  }),

  /** Someone reacted to a message. */
  ReactionAdded: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      messageName: name(),
      user: name(),
      emoji: v.optional(v.pipe(v.string(), v.maxLength(128))),
    }),
  }),

  /** Someone took a reaction back. */
  ReactionRemoved: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      messageName: name(),
      user: name(),
      emoji: v.optional(v.pipe(v.string(), v.maxLength(128))),
    }),
  }),

  /** A Workspace Events subscription on the space was created. */
  EventsSubscriptionCreated: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({ subscriptionName: name(), expireTime: isoTime() }),
  }),

  /** A Workspace Events subscription on the space was renewed. */
  EventsSubscriptionRenewed: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({ subscriptionName: name(), expireTime: isoTime() }),
  }),

  /** A Workspace Events subscription on the space expired or was suspended. */
  EventsSubscriptionLapsed: defineEvent({
    streams: space,
    schemaVersion: 1,
    schema: v.strictObject({
      subscriptionName: name(),
      reason: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
    }),
  }),
};
