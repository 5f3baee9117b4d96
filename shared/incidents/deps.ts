/**
 * What the incident workflow is built from: the event log, the Chat client,
 * the clock and logger, the settings that say how incident spaces are made,
 * and, for spaces made as the asking user, the sign-in gate.
 */
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { EventStore, StreamId } from '../eventlog/index.js';
import type { Logger } from '../log.js';
import type { ChatClient } from '../outbound/index.js';
import type { UserAuthGate } from '../user-auth/gate.js';

/** How incident spaces are made, and who is added to every one. */
export interface IncidentSettings {
  /** `INCIDENT_SPACE_MODE`. */
  readonly mode: Config['incidentSpaceMode'];
  /** `INCIDENT_DELEGATED_USER`: the email impersonated in `delegated` mode. */
  readonly delegatedUser?: string;
  /** `CHAT_APP_SCOPES_APPROVED`: the app may make spaces and add members itself. */
  readonly appScopesApproved: boolean;
  /** `INCIDENT_RESPONDERS`. */
  readonly responders: readonly string[];
}

/** The Chat methods incidents call. */
export type IncidentChat = Pick<
  ChatClient,
  'createSpace' | 'setUpSpace' | 'createMember' | 'createMessage'
>;

/** Collaborators of the incident workflow. */
export interface IncidentDeps {
  readonly events: EventStore;
  readonly chat: IncidentChat;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: IncidentSettings;
  /** User mode: asked before a space is made as the requesting user. */
  readonly gate?: UserAuthGate;
  /** Called after a run recorded events (projections catch up); failures are only logged. */
  readonly onRecorded?: (stream: StreamId) => Promise<void>;
}

/** The settings from configuration. */
export function incidentSettingsFrom(
  config: Pick<
    Config,
    'incidentSpaceMode' | 'incidentDelegatedUser' | 'appScopesApproved' | 'incidentResponders'
  >,
): IncidentSettings {
  return {
    mode: config.incidentSpaceMode,
    appScopesApproved: config.appScopesApproved,
    responders: config.incidentResponders,
    ...(config.incidentDelegatedUser !== undefined && {
      delegatedUser: config.incidentDelegatedUser,
    }),
  };
}
