/**
 * The spaces the app is in, and their members as far as events show them:
 * MemberJoined and MemberLeft, and the user who added the app.
 */
import { asKnown } from '../eventlog/catalogue.js';
import { spaceNameOf, streamKey } from '../eventlog/streams.js';
import type { RecordedEvent } from '../eventlog/types.js';
import { handler, omit } from './handler.js';
import { memberDocId, safeId, type MemberView } from './views.js';

/** `spaces/{spaceId}`: added, removed, type, display name, time zone. */
export const spaces = handler({
  collection: 'spaces',
  ids: (event) =>
    event.type === 'AppAddedToSpace' || event.type === 'AppRemovedFromSpace'
      ? [safeId(streamKey(event.stream))]
      : [],
  apply: (view, raw) => {
    const event = asKnown(raw);
    if (event?.type === 'AppAddedToSpace') {
      const { spaceName, spaceType, displayName, timeZone } = event.payload;
      const rest = view === undefined ? { spaceName } : omit(view, 'removedAt');
      return {
        ...rest,
        spaceName,
        inSpace: true,
        spaceType,
        displayName: displayName ?? view?.displayName,
        timeZone: timeZone ?? view?.timeZone,
        addedAt: event.occurredAt,
      };
    }
    if (event?.type === 'AppRemovedFromSpace') {
      const base = view ?? { spaceName: event.payload.spaceName };
      return { ...base, inSpace: false, removedAt: event.occurredAt };
    }
    return undefined;
  },
});

/** `members/{spaceId}~{member}`: who is in a space, as far as events show. */
export const members = handler({
  collection: 'members',
  ids: (event) => {
    const member = memberOf(event);
    const spaceName = spaceNameOf(event.stream);
    return member === undefined || spaceName === undefined ? [] : [memberDocId(spaceName, member)];
  },
  apply: (view, raw): MemberView | undefined => {
    const event = asKnown(raw);
    const spaceName = spaceNameOf(raw.stream);
    const member = memberOf(raw);
    if (event === undefined || spaceName === undefined || member === undefined) return undefined;
    const base: MemberView = view ?? { spaceName, member, present: false };
    if (event.type === 'MemberLeft') return { ...base, present: false, leftAt: event.occurredAt };
    if (event.type === 'MemberJoined') {
      const rest = omit(base, 'leftAt');
      return {
        ...rest,
        present: true,
        joinedAt: event.occurredAt,
        displayName: event.payload.displayName ?? base.displayName,
        memberType: event.payload.memberType ?? base.memberType,
      };
    }
    // The user who added the app is a member.
    return base.present ? undefined : { ...base, present: true, joinedAt: event.occurredAt };
  },
});

function memberOf(event: RecordedEvent): string | undefined {
  const known = asKnown(event);
  if (known?.type === 'MemberJoined' || known?.type === 'MemberLeft') return known.payload.member;
  if (known?.type === 'AppAddedToSpace' && known.causedBy.kind === 'user') return known.causedBy.id;
  return undefined;
}
