/**
 * What the incident workflow says in the space `/incident` was asked in: in
 * `user` mode, a private request to sign in before a space can be made as
 * the user; and, once the space is ready, the report back (recorded as
 * `MessagePosted` there, so it is posted once). Every post carries a
 * `requestId` derived from the incident key.
 */
import { appendRetryingRaces } from '../app/record.js';
import { newEvent, spaceStream } from '../eventlog/index.js';
import type { Logger } from '../log.js';
import { requestIdFor, type ChatMessage } from '../outbound/index.js';
import type { IncidentDeps } from './deps.js';
import { incidentRequestBase, nameOf, reportMessage, signInMessage } from './messages.js';
import type { IncidentRequest } from './request.js';
import { incidentEventId } from './state.js';

/** User mode: true when the requester's grant allows making the space as them. */
export async function mayActAsUser(
  deps: IncidentDeps,
  request: IncidentRequest,
  log: Logger,
): Promise<boolean> {
  if (deps.gate === undefined || request.requestedBy === undefined) return true;
  const result = await deps.gate({ userId: request.requestedBy, feature: 'incident.open-as-user' });
  if (result.kind === 'ready') return true;
  if (request.originSpace !== undefined) {
    const link = result.kind === 'sign-in' ? result.authorizationUrl : undefined;
    await askToSignIn(deps, request.key, request.originSpace, request.requestedBy, link, result);
  }
  log.info('Incident waits for the requester to sign in.', { gate: result.kind });
  return false;
}

/** Asks `user`, privately in `originSpace`, to sign in (or says why the feature is off). */
export async function askToSignIn(
  deps: IncidentDeps,
  key: string,
  originSpace: string,
  user: string,
  link: string | undefined,
  gate?: { readonly kind: string; readonly notice?: string },
): Promise<void> {
  const message: ChatMessage =
    gate?.kind === 'off' && gate.notice !== undefined
      ? { text: gate.notice, privateMessageViewer: { name: user } }
      : signInMessage(user, link);
  await deps.chat.createMessage({
    space: originSpace,
    message,
    requestId: requestIdFor(incidentRequestBase(key), 'sign-in'),
  });
}

/** Tells the space `/incident` came from that the incident's space is ready, once. */
export async function reportBack(
  deps: IncidentDeps,
  key: string,
  originSpace: string,
  spaceDisplayName: string,
): Promise<void> {
  const id = incidentEventId(key, 'report');
  if ((await deps.events.get(id)) !== undefined) return;
  const requestId = requestIdFor(incidentRequestBase(key), 'report');
  const posted = await deps.chat.createMessage({
    space: originSpace,
    message: reportMessage(spaceDisplayName),
    requestId,
  });
  const event = newEvent('MessagePosted', {
    id,
    stream: spaceStream(originSpace),
    occurredAt: deps.clock.now(),
    causedBy: { kind: 'app' },
    payload: { messageName: nameOf(posted.message), requestId, purpose: 'incident-report' },
  });
  await appendRetryingRaces(deps.events, event);
}
