/**
 * Resolving an incident: `IncidentResolved`, then, when the incident has a
 * space, the resolution message there and `IncidentResolutionPosted`. Both
 * steps resume on redelivery like opening does. An alert that resolves an
 * incident never opened still records `IncidentResolved`, so an opening
 * alert delivered late (Pub/Sub does not keep order) opens nothing.
 */
import type { Actor } from '../eventlog/index.js';
import { requestIdFor } from '../outbound/index.js';
import type { IncidentDeps } from './deps.js';
import { incidentRequestBase, nameOf, resolutionMessage } from './messages.js';
import { incidentRecorder, onFreshState, projectionsCatchUp } from './state.js';

/** What resolving did. */
export interface ResolveOutcome {
  /** False when the incident was resolved before. */
  readonly newlyResolved: boolean;
  /** The resolution message, when the incident has a space. */
  readonly messageName?: string;
}

/** A request to resolve the incident `key`. */
export interface ResolveRequest {
  readonly key: string;
  /** What resolved it: `alert`, `command`, ... */
  readonly source: string;
  /** When it was resolved at the source (ISO 8601). */
  readonly occurredAt: string;
  readonly causedBy: Actor;
}

/** Resolves (or resumes resolving) an incident. */
export async function resolveIncident(
  deps: IncidentDeps,
  request: ResolveRequest,
): Promise<ResolveOutcome> {
  const log = deps.logger.child({ incidentKey: request.key, incidentSource: request.source });
  const outcome = await onFreshState(deps.events, request.key, async (state) => {
    const recorder = incidentRecorder(deps, state, request.causedBy);
    const newlyResolved = !state.resolved;
    if (newlyResolved) {
      await recorder.record(
        'resolved',
        'IncidentResolved',
        { source: request.source },
        request.occurredAt,
      );
    }
    const space = state.space?.spaceName;
    if (space === undefined) return { newlyResolved };
    if (state.resolutionMessage !== undefined) {
      return { newlyResolved, messageName: state.resolutionMessage };
    }

    const posted = await deps.chat.createMessage({
      space,
      message: resolutionMessage(state.opened?.title, request.source),
      requestId: requestIdFor(incidentRequestBase(request.key), 'resolution'),
    });
    const messageName = nameOf(posted.message);
    await recorder.record('resolution', 'IncidentResolutionPosted', { messageName });
    return { newlyResolved, messageName };
  });
  await projectionsCatchUp(deps, request.key, log);
  log.info('Incident resolution handled.', {
    newlyResolved: outcome.newlyResolved,
    posted: outcome.messageName !== undefined,
  });
  return outcome;
}
