/**
 * The two ways into the incident workflow, free of any transport: an alert
 * (firing opens, resolved resolves) and the `OpenIncident` command that
 * `/incident` publishes. `receivedAt` is when Pub/Sub took the message, the
 * same on every redelivery.
 */
import type { OpenIncident } from '../commands.js';
import type { Alert } from './alerts.js';
import type { IncidentDeps } from './deps.js';
import { openIncident, type OpenOutcome } from './open.js';
import { requestFromAlert, requestFromCommand } from './request.js';
import { resolveIncident, type ResolveOutcome } from './resolve.js';

/** What an alert led to. */
export type AlertOutcome =
  | { readonly kind: 'open'; readonly outcome: OpenOutcome }
  | { readonly kind: 'resolve'; readonly outcome: ResolveOutcome };

/** Opens or resolves the incident an alert is about. */
export async function handleAlert(
  deps: IncidentDeps,
  alert: Alert,
  receivedAt: string,
): Promise<AlertOutcome> {
  if (alert.status === 'resolved') {
    const outcome = await resolveIncident(deps, {
      key: alert.key,
      source: 'alert',
      occurredAt: receivedAt,
      causedBy: { kind: 'system', id: 'alerts' },
    });
    return { kind: 'resolve', outcome };
  }
  const request = requestFromAlert(alert, deps.settings.responders, receivedAt);
  return { kind: 'open', outcome: await openIncident(deps, request) };
}

/** Opens the incident `/incident` asked for. */
export async function handleOpenIncident(
  deps: IncidentDeps,
  command: OpenIncident,
  receivedAt: string,
): Promise<OpenOutcome> {
  return openIncident(deps, requestFromCommand(command, deps.settings.responders, receivedAt));
}
