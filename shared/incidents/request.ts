/**
 * What opening an incident starts from, whether an alert or `/incident`
 * asked: one {@link IncidentRequest}, with the responders of the request and
 * of configuration merged and named the way Chat memberships name them.
 */
import type { OpenIncident } from '../commands.js';
import { invalidInput } from '../errors.js';
import type { Alert } from './alerts.js';

/** One request to open an incident. */
export interface IncidentRequest {
  /** The incident key: the stream is `incident:KEY`. */
  readonly key: string;
  readonly source: 'alert' | 'command';
  readonly title: string;
  readonly severity?: string;
  readonly summary?: string;
  /** A link to show on the details card (the alert's own page). */
  readonly link?: string;
  /** `users/ID` or `users/EMAIL`, each once. */
  readonly responders: readonly string[];
  /** `/incident`: where it was asked, and by whom. */
  readonly originSpace?: string;
  readonly requestedBy?: string;
  /** For alerts: the alert's own key. */
  readonly alertKey?: string;
  /** When it happened at the source (ISO 8601). */
  readonly occurredAt: string;
}

/** Most responders one incident adds. */
export const MAX_RESPONDERS = 100;

/**
 * A Chat member name for `users/ID`, `users/EMAIL` or a bare email (Chat
 * accepts `users/{email}` as an alias of the user), or undefined when it is
 * neither.
 */
export function memberName(raw: string): string | undefined {
  const value = raw.trim();
  if (/^users\/[\w.@+-]{1,254}$/.test(value)) return value;
  if (/^[^@\s/]{1,64}@[^@\s/]{1,190}$/.test(value)) return `users/${value.toLowerCase()}`;
  return undefined;
}

/** Each responder once, in first-seen order; unreadable names are dropped. */
export function mergeResponders(...lists: readonly (readonly string[])[]): string[] {
  const seen = new Set<string>();
  for (const raw of lists.flat()) {
    const name = memberName(raw);
    if (name !== undefined) seen.add(name);
  }
  return [...seen].slice(0, MAX_RESPONDERS);
}

/** The request of a firing alert; `receivedAt` stands in for a missing start time. */
export function requestFromAlert(
  alert: Alert,
  configured: readonly string[],
  receivedAt: string,
): IncidentRequest {
  if (alert.title === undefined) {
    throw invalidInput('Firing alert has no title.', { reason: 'alert-field', field: 'title' });
  }
  return {
    key: alert.key,
    source: 'alert',
    title: alert.title,
    responders: mergeResponders(alert.responders, configured),
    alertKey: alert.key,
    occurredAt: alert.startedAt ?? receivedAt,
    ...(alert.severity !== undefined && { severity: alert.severity }),
    ...(alert.summary !== undefined && { summary: alert.summary }),
    ...(alert.link !== undefined && { link: alert.link }),
  };
}

/** The request of an `OpenIncident` command: who asked is a responder too. */
export function requestFromCommand(
  command: OpenIncident,
  configured: readonly string[],
  receivedAt: string,
): IncidentRequest {
  return {
    key: command.incidentKey,
    source: 'command',
    title: command.title,
    responders: mergeResponders([command.requestedBy], command.responders ?? [], configured),
    originSpace: command.originSpace,
    requestedBy: command.requestedBy,
    occurredAt: receivedAt,
  };
}
