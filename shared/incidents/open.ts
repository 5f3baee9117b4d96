/**
 * Opening an incident, step by step, each step recorded in `incident:KEY`:
 * 1. `IncidentOpened` (title, severity, summary, responders, where and who);
 * 2. the space, made per `INCIDENT_SPACE_MODE` (see `space.ts`), then
 *    `IncidentSpaceCreated`;
 * 3. each responder added once (ALREADY_EXISTS counts as added), then
 *    `IncidentResponderAdded`;
 * 4. the details card, then `IncidentDetailsPosted`;
 * 5. for `/incident`, the report back to the space it was asked in.
 * A redelivery reads the stream and resumes after the last recorded step.
 * A crash between a Chat write and its record repeats the write: the space
 * and messages carry `requestId`s derived from the key, and a member added
 * twice answers ALREADY_EXISTS, so Chat ends with one of each.
 */
import { toSpacelogError } from '../errors.js';
import type { Actor, PayloadOf } from '../eventlog/index.js';
import type { Logger } from '../log.js';
import { requestIdFor, type Principal } from '../outbound/index.js';
import { isSignInRequired } from '../user-auth/user-tokens.js';
import type { IncidentDeps } from './deps.js';
import { detailsMessage, incidentRequestBase, nameOf } from './messages.js';
import { askToSignIn, mayActAsUser, reportBack } from './origin.js';
import type { IncidentRequest } from './request.js';
import {
  incidentSpaceName,
  makeIncidentSpace,
  principalFor,
  spaceModeFor,
  type SpaceMode,
} from './space.js';
import {
  incidentRecorder,
  onFreshState,
  projectionsCatchUp,
  type IncidentRecorder,
  type IncidentState,
} from './state.js';

/** What opening did. */
export type OpenOutcome =
  | {
      readonly kind: 'opened';
      readonly space: string;
      readonly mode: SpaceMode;
      /** Responders recorded as added, this run and before. */
      readonly responders: number;
    }
  /** The incident was resolved before its space was made: nothing more to do. */
  | { readonly kind: 'resolved-before-open' }
  /** User mode: the requester was asked to sign in first. */
  | { readonly kind: 'needs-sign-in' };

/** Opens (or resumes opening) the incident of `request`. */
export async function openIncident(
  deps: IncidentDeps,
  request: IncidentRequest,
): Promise<OpenOutcome> {
  const log = deps.logger.child({ incidentKey: request.key, incidentSource: request.source });
  const outcome = await onFreshState(deps.events, request.key, (state) =>
    openFrom(deps, request, state, log),
  );
  await projectionsCatchUp(deps, request.key, log);
  log.info('Incident open handled.', { outcome: outcome.kind });
  return outcome;
}

async function openFrom(
  deps: IncidentDeps,
  request: IncidentRequest,
  state: IncidentState,
  log: Logger,
): Promise<OpenOutcome> {
  if (state.resolved && state.space === undefined) return { kind: 'resolved-before-open' };
  const recorder = incidentRecorder(deps, state, actorOf(request));

  const requestedBy = state.opened?.requestedBy ?? request.requestedBy;
  const mode = state.space?.mode ?? spaceModeFor(deps.settings, requestedBy);
  if (state.opened === undefined) {
    if (mode === 'user' && !(await mayActAsUser(deps, request, log))) {
      return { kind: 'needs-sign-in' };
    }
    await recorder.record('opened', 'IncidentOpened', openedPayload(request), request.occurredAt);
  }
  const opened = recorder.state.opened as PayloadOf<'IncidentOpened'>;
  const as = principalFor(mode, deps.settings, opened.requestedBy);

  const space = await ensureSpace(
    deps,
    recorder,
    { key: request.key, title: opened.title, mode },
    as,
    log,
  );
  if (space === undefined) return { kind: 'needs-sign-in' };

  for (const member of opened.responders) {
    if (recorder.state.added.has(member)) continue;
    const added = await addResponder(deps, space, member, as, log);
    if (added === undefined) continue;
    await recorder.record(`responder:${member}`, 'IncidentResponderAdded', {
      member,
      ...(added !== '' && { membershipName: added }),
    });
  }

  if (recorder.state.detailsMessage === undefined) {
    const posted = await deps.chat.createMessage({
      space,
      message: detailsMessage(request.key, opened, request.link),
      requestId: requestIdFor(incidentRequestBase(request.key), 'details'),
    });
    await recorder.record('details', 'IncidentDetailsPosted', {
      messageName: nameOf(posted.message),
    });
  }

  if (opened.originSpace !== undefined) {
    await reportBack(
      deps,
      request.key,
      opened.originSpace,
      incidentSpaceName(opened.title, request.key),
    );
  }
  return { kind: 'opened', space, mode, responders: recorder.state.added.size };
}

function openedPayload(request: IncidentRequest): PayloadOf<'IncidentOpened'> {
  return {
    title: request.title,
    source: request.source,
    responders: [...request.responders],
    ...(request.severity !== undefined && { severity: request.severity }),
    ...(request.summary !== undefined && { summary: request.summary }),
    ...(request.originSpace !== undefined && { originSpace: request.originSpace }),
    ...(request.requestedBy !== undefined && { requestedBy: request.requestedBy }),
    ...(request.alertKey !== undefined && { alertKey: request.alertKey }),
  };
}

/** The space, made now unless recorded; undefined when the user must sign in first. */
async function ensureSpace(
  deps: IncidentDeps,
  recorder: IncidentRecorder,
  input: { readonly key: string; readonly title: string; readonly mode: SpaceMode },
  as: Principal,
  log: Logger,
): Promise<string | undefined> {
  const recorded = recorder.state.space?.spaceName;
  if (recorded !== undefined) return recorded;
  let space: string;
  try {
    space = await makeIncidentSpace(deps.chat, input, as);
  } catch (err) {
    const opened = recorder.state.opened;
    if (!(input.mode === 'user' && isSignInRequired(err) && opened?.originSpace !== undefined)) {
      throw err;
    }
    // The grant ended after the gate let it through: ask again; the incident waits for a new /incident.
    await askToSignIn(deps, input.key, opened.originSpace, opened.requestedBy ?? '', undefined);
    log.info('Incident space not made: the user must sign in again.');
    return undefined;
  }
  await recorder.record('space', 'IncidentSpaceCreated', { spaceName: space, mode: input.mode });
  return space;
}

/**
 * Adds one responder; resolves to the membership name ('' when the member
 * was already in), or undefined when Chat refuses that member for good
 * (unknown user, not allowed in the space), which is logged and skipped.
 */
async function addResponder(
  deps: IncidentDeps,
  space: string,
  member: string,
  as: Principal,
  log: Logger,
): Promise<string | undefined> {
  try {
    const added = await deps.chat.createMember(
      { space, membership: { member: { name: member, type: 'HUMAN' } } },
      as,
    );
    return added.status === 'created' ? (added.membership.name ?? '') : '';
  } catch (err) {
    const error = toSpacelogError(err);
    if (error.code !== 'not-found' && error.code !== 'invalid-input') throw error;
    log.warn('Responder could not be added; skipped.', {
      code: error.code,
      status: error.details.status,
    });
    return undefined;
  }
}

function actorOf(request: IncidentRequest): Actor {
  return request.source === 'command' && request.requestedBy !== undefined
    ? { kind: 'user', id: request.requestedBy }
    : { kind: 'system', id: 'alerts' };
}
