/**
 * Incidents and their state, and users' grants: each a projection of its own
 * stream (`incident:KEY`, `user:ID`).
 */
import { asKnown } from '../eventlog/catalogue.js';
import { streamKey } from '../eventlog/streams.js';
import { handler, omit } from './handler.js';
import { safeId, type GrantView, type IncidentView } from './views.js';

/** `incidents/{key}`: opened, its space, responders, acknowledged, resolved. */
export const incidents = handler({
  collection: 'incidents',
  ids: (event) => (event.stream.startsWith('incident:') ? [safeId(streamKey(event.stream))] : []),
  apply: (view, raw): IncidentView | undefined => {
    const event = asKnown(raw);
    if (event === undefined) return undefined;
    if (event.type === 'IncidentOpened') {
      const { responders, ...opened } = event.payload;
      return {
        ...view,
        ...opened,
        key: streamKey(event.stream),
        state: 'open',
        openedAt: event.occurredAt,
        responders: [...new Set(responders)],
      };
    }
    if (view === undefined) return undefined;
    switch (event.type) {
      case 'IncidentSpaceCreated':
        return { ...view, spaceName: event.payload.spaceName, spaceMode: event.payload.mode };
      case 'IncidentResponderAdded':
        return view.responders.includes(event.payload.member)
          ? view
          : { ...view, responders: [...view.responders, event.payload.member] };
      case 'IncidentDetailsPosted':
        return { ...view, detailsMessage: event.payload.messageName };
      case 'IncidentAcknowledged':
        return view.state === 'resolved'
          ? { ...view, acknowledgedBy: event.payload.by, acknowledgedAt: event.occurredAt }
          : {
              ...view,
              state: 'acknowledged',
              acknowledgedBy: event.payload.by,
              acknowledgedAt: event.occurredAt,
            };
      case 'IncidentResolved':
        return {
          ...view,
          state: 'resolved',
          resolvedAt: event.occurredAt,
          resolvedBy: event.payload.source,
        };
      case 'IncidentResolutionPosted':
        return { ...view, resolutionMessage: event.payload.messageName };
      default:
        return undefined;
    }
  },
});

/** `grants/{userId}`: the scopes a user granted and whether the grant still stands. */
export const grants = handler({
  collection: 'grants',
  ids: (event) => (event.stream.startsWith('user:') ? [safeId(streamKey(event.stream))] : []),
  apply: (view, raw): GrantView | undefined => {
    const event = asKnown(raw);
    const user = `users/${streamKey(raw.stream)}`;
    if (event?.type === 'UserGrantRecorded') {
      const rest = view === undefined ? { user } : omit(view, 'revokedAt', 'revokedReason');
      return {
        ...rest,
        user,
        active: true,
        scopes: event.payload.scopes,
        requestedScopes: event.payload.requestedScopes,
        keyId: event.payload.keyId,
        grantedAt: event.occurredAt,
      };
    }
    if (event?.type === 'UserGrantRevoked') {
      const base = view ?? { user, scopes: [], requestedScopes: [] };
      return {
        ...base,
        active: false,
        revokedAt: event.occurredAt,
        revokedReason: event.payload.reason,
      };
    }
    return undefined;
  },
});
