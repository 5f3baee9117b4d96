/**
 * Events of an incident's stream (`incident:KEY`): opened from an alert or a
 * command, its space created and staffed, acknowledged and resolved.
 * Adding a type here is the whole change.
 */
import * as v from 'valibot';
import { defineEvent, name } from './define.js';

const incident = ['incident'] as const;

/** Definitions of the incident stream's events, by type. */
export const INCIDENT_EVENTS = {
  /** An incident was opened. `alertKey` ties repeated alerts to it. */
  IncidentOpened: defineEvent({
    streams: incident,
    schemaVersion: 1,
    schema: v.strictObject({
      title: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
      severity: v.optional(v.pipe(v.string(), v.maxLength(32))),
      source: v.picklist(['alert', 'command']),
      summary: v.optional(v.pipe(v.string(), v.maxLength(4096))),
      responders: v.array(name()),
      originSpace: v.optional(name()),
      requestedBy: v.optional(name()),
      alertKey: v.optional(name()),
    }),
  }),

  /** The incident's space was created (by the app, by delegation or as a user). */
  IncidentSpaceCreated: defineEvent({
    streams: incident,
    schemaVersion: 1,
    schema: v.strictObject({
      spaceName: name(),
      mode: v.picklist(['app', 'delegated', 'user']),
    }),
  }),

  /** A responder was added to the incident's space. */
  IncidentResponderAdded: defineEvent({
    streams: incident,
    schemaVersion: 1,
    schema: v.strictObject({ member: name(), membershipName: v.optional(name()) }),
  }),

  /** The incident's details message was posted in its space. */
  IncidentDetailsPosted: defineEvent({
    streams: incident,
    schemaVersion: 1,
    schema: v.strictObject({ messageName: name() }),
  }),

  /** Someone acknowledged the incident. */
  IncidentAcknowledged: defineEvent({
    streams: incident,
    schemaVersion: 1,
    schema: v.strictObject({ by: name() }),
  }),

  /** The incident was resolved (`source`: alert, command, ...). */
  IncidentResolved: defineEvent({
    streams: incident,
    schemaVersion: 1,
    schema: v.strictObject({ source: v.pipe(v.string(), v.minLength(1), v.maxLength(64)) }),
  }),

  /** The resolution message was posted in the incident's space. */
  IncidentResolutionPosted: defineEvent({
    streams: incident,
    schemaVersion: 1,
    schema: v.strictObject({ messageName: name() }),
  }),
};
