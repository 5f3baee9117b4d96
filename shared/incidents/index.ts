/**
 * Incidents: alerts and `/incident` open a space, add the responders and
 * post the details; a resolved alert posts the resolution. Every step is
 * recorded in `incident:KEY` and resumes on redelivery. Import from here.
 */
export { ALERT_KEY, parseAlert, type Alert } from './alerts.js';
export { acknowledgeHandler, type AcknowledgeDeps } from './acknowledge.js';
export {
  incidentSettingsFrom,
  type IncidentChat,
  type IncidentDeps,
  type IncidentSettings,
} from './deps.js';
export { handleAlert, handleOpenIncident, type AlertOutcome } from './handle.js';
export { ACKNOWLEDGE_ACTION, detailsCard, escapeCardText } from './messages.js';
export { openIncident, type OpenOutcome } from './open.js';
export {
  memberName,
  mergeResponders,
  requestFromAlert,
  requestFromCommand,
  type IncidentRequest,
} from './request.js';
export { resolveIncident, type ResolveOutcome, type ResolveRequest } from './resolve.js';
export { incidentSpaceName, spaceModeFor, type SpaceMode } from './space.js';
export { incidentEventId, readIncident, type IncidentState } from './state.js';
