/**
 * Per-space activity since the last digest checkpoint, for digests: messages,
 * active people, threads, commands, members joined and left, incidents
 * opened from the space.
 *
 * A digest records the space stream version it covered (`checkpointVersion`).
 * Events can land between that version and the DigestPosted event itself, so
 * on DigestPosted/DigestSkipped the activity is rebuilt from the events after
 * the checkpoint (re-read from the log), not simply zeroed. Incidents come
 * from other streams; they count when opened after the last period's end,
 * which gives the same result in whatever order the streams are applied.
 *
 * People, threads and recent message names are kept as bounded lists; past
 * the bound the counts stop growing (a space with more than 1,000 active
 * people in one period reports 1,000).
 */
import { asKnown, type KnownEvent } from '../eventlog/catalogue.js';
import { spaceNameOf, streamKey } from '../eventlog/streams.js';
import type { RecordedEvent } from '../eventlog/types.js';
import { handler } from './handler.js';
import { safeId, spaceDocId, type ActivityView } from './views.js';

const MAX_PEOPLE = 1000;
const MAX_THREADS = 1000;
const RECENT_MESSAGES = 200;
const MESSAGE_KINDS = new Set(['message', 'mention']);
const COMMAND_KINDS = new Set(['slash-command', 'app-command']);

/** `activity/{spaceId}`. */
export const activity = handler({
  collection: 'activity',
  ids: (raw) => {
    const event = asKnown(raw);
    if (event === undefined) return [];
    if (event.type === 'IncidentOpened') {
      const origin = event.payload.originSpace;
      return origin === undefined ? [] : [spaceDocId(origin)];
    }
    return counts(event) || resets(event) || event.type === 'AppAddedToSpace'
      ? [safeId(streamKey(event.stream))]
      : [];
  },
  apply: async (view, raw, ctx) => {
    const event = asKnown(raw);
    if (event === undefined) return undefined;
    if (event.type === 'IncidentOpened') {
      const spaceName = event.payload.originSpace ?? '';
      return withIncident(view ?? emptyActivity(spaceName, 0), raw.stream, event.occurredAt);
    }
    const spaceName = spaceNameOf(event.stream) ?? '';
    const current = view ?? emptyActivity(spaceName, 0);
    if (event.type !== 'DigestPosted' && event.type !== 'DigestSkipped')
      return fold(current, event);

    const { checkpointVersion, periodEnd } = event.payload;
    const since = ctx.readStream(event.stream, checkpointVersion, event.version);
    let next: ActivityView = {
      ...emptyActivity(spaceName, checkpointVersion),
      sincePeriodEnd: periodEnd,
      incidents: current.incidents.filter((i) => i.openedAt > periodEnd),
    };
    for (const e of await since) {
      const known = asKnown(e);
      if (known !== undefined) next = fold(next, known);
    }
    return withCounts(next);
  },
});

/** An activity view with nothing counted since `sinceVersion`. */
export function emptyActivity(spaceName: string, sinceVersion: number): ActivityView {
  return {
    spaceName,
    sinceVersion,
    counts: {
      messages: 0,
      activePeople: 0,
      threads: 0,
      commands: 0,
      membersJoined: 0,
      membersLeft: 0,
      incidents: 0,
    },
    people: [],
    threads: [],
    recentMessages: [],
    incidents: [],
  };
}

function counts(event: KnownEvent): boolean {
  switch (event.type) {
    case 'SpaceMessageCreated':
    case 'InteractionReceived':
    case 'ReactionAdded':
    case 'MemberJoined':
    case 'MemberLeft':
      return true;
    default:
      return false;
  }
}

function resets(event: KnownEvent): boolean {
  return event.type === 'DigestPosted' || event.type === 'DigestSkipped';
}

function fold(view: ActivityView, event: KnownEvent): ActivityView {
  const c = view.counts;
  switch (event.type) {
    case 'SpaceMessageCreated': {
      const { messageName, sender, threadName } = event.payload;
      return withCounts(message(view, messageName, sender, threadName));
    }
    case 'InteractionReceived': {
      const { kind, userName, messageName, threadName } = event.payload;
      if (kind === 'removed') return view;
      if (MESSAGE_KINDS.has(kind))
        return withCounts(message(view, messageName, userName, threadName));
      const person = withCounts({ ...view, people: addBounded(view.people, userName, MAX_PEOPLE) });
      if (!COMMAND_KINDS.has(kind)) return person;
      return { ...person, counts: { ...person.counts, commands: c.commands + 1 } };
    }
    case 'ReactionAdded':
      return withCounts({
        ...view,
        people: addBounded(view.people, event.payload.user, MAX_PEOPLE),
      });
    case 'MemberJoined':
      return { ...view, counts: { ...c, membersJoined: c.membersJoined + 1 } };
    case 'MemberLeft':
      return { ...view, counts: { ...c, membersLeft: c.membersLeft + 1 } };
    default:
      return view;
  }
}

function message(
  view: ActivityView,
  messageName: string | undefined,
  person: string,
  threadName: string | undefined,
): ActivityView {
  if (messageName !== undefined && view.recentMessages.includes(messageName)) return view;
  const recent =
    messageName === undefined
      ? view.recentMessages
      : [...view.recentMessages, messageName].slice(-RECENT_MESSAGES);
  return {
    ...view,
    counts: { ...view.counts, messages: view.counts.messages + 1 },
    people: addBounded(view.people, person, MAX_PEOPLE),
    threads:
      threadName === undefined ? view.threads : addBounded(view.threads, threadName, MAX_THREADS),
    recentMessages: recent,
  };
}

function withIncident(
  view: ActivityView,
  stream: RecordedEvent['stream'],
  openedAt: string,
): ActivityView {
  const key = streamKey(stream);
  const counted = view.sincePeriodEnd === undefined || openedAt > view.sincePeriodEnd;
  if (!counted || view.incidents.some((i) => i.key === key)) return view;
  const incidents = [...view.incidents, { key, openedAt }].sort(
    (a, b) => a.openedAt.localeCompare(b.openedAt) || a.key.localeCompare(b.key),
  );
  return withCounts({ ...view, incidents });
}

function withCounts(view: ActivityView): ActivityView {
  return {
    ...view,
    counts: {
      ...view.counts,
      activePeople: view.people.length,
      threads: view.threads.length,
      incidents: view.incidents.length,
    },
  };
}

function addBounded(list: readonly string[], item: string, max: number): readonly string[] {
  return list.includes(item) || list.length >= max ? list : [...list, item];
}
