/**
 * Making an incident's space, in one of three ways (`INCIDENT_SPACE_MODE`):
 * - `app`: `spaces.create` as the app with the administrator-approved
 *   `chat.app.spaces.create` (`space.customer` = `customers/my_customer`);
 * - `delegated`: `spaces.setup` as `INCIDENT_DELEGATED_USER` through
 *   domain-wide delegation (user scopes, never `chat.bot`);
 * - `user`: `spaces.setup` as the user who asked, with their own grant.
 * Made as a user, the space gets the app added by that user
 * (`chat.memberships.app`), so the app can post there. Every create carries
 * a `requestId` derived from the incident key: a repeat gets the same space.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/create
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces/setup
 */
import { createHash } from 'node:crypto';
import { invalidInput, misconfigured, unavailable } from '../errors.js';
import type { PayloadOf } from '../eventlog/index.js';
import { AS_APP, asDelegated, asUser, requestIdFor, type Principal } from '../outbound/index.js';
import type { IncidentChat, IncidentSettings } from './deps.js';

/** How one incident's space is made. */
export type SpaceMode = PayloadOf<'IncidentSpaceCreated'>['mode'];

/** The Chat user name of the calling app, as `members.create` takes it. */
export const APP_MEMBER = 'users/app';

/**
 * The mode for an incident: the configured one, except that an alert in
 * `user` mode has no user to act as, and falls back to the delegated user or
 * the app when either is configured. Throws `invalid-input` (reason
 * `no-space-maker`) when nobody can make the space.
 */
export function spaceModeFor(
  settings: IncidentSettings,
  requestedBy: string | undefined,
): SpaceMode {
  if (settings.mode !== 'user' || requestedBy !== undefined) return settings.mode;
  if (settings.delegatedUser !== undefined) return 'delegated';
  if (settings.appScopesApproved) return 'app';
  throw invalidInput('An alert cannot open a space in user mode without a fallback.', {
    reason: 'no-space-maker',
  });
}

/** Who acts in a space made in `mode`: adds members, and made it. */
export function principalFor(
  mode: SpaceMode,
  settings: IncidentSettings,
  requestedBy: string | undefined,
): Principal {
  switch (mode) {
    case 'app':
      return AS_APP;
    case 'delegated':
      if (settings.delegatedUser === undefined) {
        throw misconfigured('Delegated incident spaces need INCIDENT_DELEGATED_USER.', {
          setting: 'INCIDENT_DELEGATED_USER',
        });
      }
      return asDelegated(settings.delegatedUser);
    case 'user':
      if (requestedBy === undefined)
        throw invalidInput('No user to act as.', { reason: 'no-user' });
      return asUser(requestedBy);
  }
}

/**
 * The space's display name: the title and a short tag of the key, so two
 * incidents with one title still get two names (Chat refuses a second space
 * with a name already in use).
 */
export function incidentSpaceName(title: string, key: string): string {
  const tag = createHash('sha256').update(key).digest('hex').slice(0, 6);
  const suffix = ` · ${tag}`;
  const head = `Incident: ${title}`.replace(/\s+/g, ' ').trim();
  return head.slice(0, 128 - suffix.length) + suffix;
}

/** Makes (or, on a repeat, gets back) the incident's space; resolves to its name. */
export async function makeIncidentSpace(
  chat: IncidentChat,
  input: { readonly key: string; readonly title: string; readonly mode: SpaceMode },
  as: Principal,
): Promise<string> {
  const requestId = requestIdFor(`incident:${input.key}`, 'space');
  const space = {
    spaceType: 'SPACE',
    displayName: incidentSpaceName(input.title, input.key),
    spaceDetails: { description: 'Incident space opened by Spacelog.' },
  };

  const made =
    input.mode === 'app'
      ? await chat.createSpace(
          { space: { ...space, customer: 'customers/my_customer' }, requestId },
          as,
        )
      : await chat.setUpSpace({ space, requestId }, as);
  const name = made.name;
  if (typeof name !== 'string' || !name.startsWith('spaces/')) {
    throw unavailable('Chat answered a space create without a space name.', { mode: input.mode });
  }

  // A space made as a user does not have the app in it until the user adds it.
  if (input.mode !== 'app') {
    await chat.createMember(
      { space: name, membership: { member: { name: APP_MEMBER, type: 'BOT' } } },
      as,
    );
  }
  return name;
}
