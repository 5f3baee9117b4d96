/**
 * What `chatPubsub` does with each kind of message, first match wins:
 * Spacelog's own commands by `spacelog-command`, Workspace Events by
 * `ce-type`, alerts by topic, and Chat interaction events for the rest (the
 * interactions topic). Adding a kind of message is one line here.
 */
import {
  OPEN_INCIDENT,
  parseOpenIncident,
  parsePostDigest,
  parseWatchSpace,
  POST_DIGEST,
  WATCH_SPACE,
} from '../commands.js';
import type { Clock } from '../clock.js';
import { handleDigestJob, type DigestJobDeps } from '../digest/job.js';
import {
  handleAlert,
  handleOpenIncident,
  parseAlert,
  type IncidentDeps,
} from '../incidents/index.js';
import {
  CE_TYPE_ATTRIBUTE,
  handleWatchSpace,
  handleWorkspaceEvent,
  workspaceEventOf,
  type WorkspaceEventDeps,
} from '../workspace-events/index.js';
import { handleInteractionMessage, type InteractionRouteDeps } from './interactions.js';
import { jsonOf, receivedAt, type PubsubMessage } from './message.js';
import {
  byAttribute,
  byCommand,
  byTopic,
  otherwise,
  unknownCommand,
  type PubsubRoute,
} from './routes.js';

/** Everything the routes hand messages to. */
export interface ChatPubsubRouteDeps {
  readonly clock: Clock;
  /** `ALERTS_TOPIC`: messages there without `spacelog-command` are alerts. */
  readonly alertsTopic: string;
  readonly incidents: IncidentDeps;
  readonly digestJob: DigestJobDeps;
  readonly workspace: WorkspaceEventDeps;
  readonly interactions: InteractionRouteDeps;
}

/** The routes of `chatPubsub`, in order. */
export function chatPubsubRoutes(deps: ChatPubsubRouteDeps): PubsubRoute[] {
  const at = (m: PubsubMessage) => receivedAt(m, deps.clock.now());
  return [
    byCommand(OPEN_INCIDENT, (m) =>
      handleOpenIncident(deps.incidents, parseOpenIncident(jsonOf(m)), at(m)),
    ),
    byCommand(POST_DIGEST, (m) => handleDigestJob(deps.digestJob, parsePostDigest(jsonOf(m)))),
    byCommand(WATCH_SPACE, (m) => handleWatchSpace(deps.workspace, parseWatchSpace(jsonOf(m)))),
    unknownCommand(),
    byAttribute('workspace-event', CE_TYPE_ATTRIBUTE, (m) =>
      handleWorkspaceEvent(deps.workspace, workspaceEvent(m)),
    ),
    byTopic('alert', deps.alertsTopic, (m) =>
      handleAlert(deps.incidents, parseAlert(jsonOf(m)), at(m)),
    ),
    otherwise('interaction', (m, log) => handleInteractionMessage(deps.interactions, m, log)),
  ];
}

function workspaceEvent(message: PubsubMessage) {
  const data = message.data.length === 0 ? {} : jsonOf(message);
  // The route matched on `ce-type`, so there is an event.
  return workspaceEventOf(message.attributes, data) ?? { type: '', data };
}
