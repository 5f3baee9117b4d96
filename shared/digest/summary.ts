/**
 * What happened in a space during one digest period, folded from the space's
 * events after the previous digest's checkpoint: messages and who wrote them,
 * members who joined or left, the busiest threads, commands used, reactions
 * and incidents. A pure fold: it reads nothing and knows no clock.
 */
import { asKnown, type RecordedEvent } from '../eventlog/index.js';

/** A name and how often it came up, most first. */
export interface Tally {
  readonly name: string;
  readonly count: number;
}

/** An incident opened or resolved in the period, as an incidents reader reports it. */
export interface IncidentNote {
  readonly key: string;
  readonly title?: string;
  readonly change: 'opened' | 'resolved';
}

/** What a digest reports. */
export interface DigestSummary {
  /** Messages created in the space (people and other apps; not Spacelog's own posts). */
  readonly messages: number;
  readonly edited: number;
  readonly deleted: number;
  readonly reactions: number;
  /** Senders by messages sent. */
  readonly people: readonly Tally[];
  /** Threads by messages in the period (threads with at least two). */
  readonly threads: readonly Tally[];
  readonly joined: readonly string[];
  readonly left: readonly string[];
  /** Commands by use (`/digest`, or the command id when Chat sent no name). */
  readonly commands: readonly Tally[];
  readonly incidents: readonly IncidentNote[];
}

/** True when nothing worth a digest happened. */
export function isQuiet(summary: DigestSummary): boolean {
  return (
    summary.messages === 0 &&
    summary.joined.length === 0 &&
    summary.left.length === 0 &&
    summary.commands.length === 0 &&
    summary.incidents.length === 0
  );
}

const MESSAGE_KINDS = new Set(['message', 'mention', 'slash-command', 'app-command']);

/**
 * Folds a period's events. Messages are counted once by name, whether they
 * came through Workspace Events, catch-up or as an interaction addressed to
 * the app; messages Spacelog itself posted (digests, replies) are left out.
 */
export function summarize(
  events: Iterable<RecordedEvent>,
  incidents: readonly IncidentNote[] = [],
): DigestSummary {
  const own = new Set<string>();
  const messages = new Map<string, { sender: string; thread: string | undefined }>();
  const counts = { edited: 0, deleted: 0, reactions: 0 };
  const joined = new Set<string>();
  const left = new Set<string>();
  const commands = new Map<string, number>();

  for (const raw of events) {
    const event = asKnown(raw);
    if (event === undefined) continue;
    switch (event.type) {
      case 'SpaceMessageCreated':
        messages.set(event.payload.messageName, {
          sender: event.payload.sender,
          thread: event.payload.threadName,
        });
        break;
      case 'InteractionReceived': {
        const p = event.payload;
        if (
          p.messageName !== undefined &&
          MESSAGE_KINDS.has(p.kind) &&
          !messages.has(p.messageName)
        ) {
          messages.set(p.messageName, { sender: p.userName, thread: p.threadName });
        }
        const command =
          p.commandName ?? (p.commandId === undefined ? undefined : `#${p.commandId}`);
        if (command !== undefined) commands.set(command, (commands.get(command) ?? 0) + 1);
        break;
      }
      case 'SpaceMessageUpdated':
        counts.edited += 1;
        break;
      case 'SpaceMessageDeleted':
        counts.deleted += 1;
        break;
      case 'ReactionAdded':
        counts.reactions += 1;
        break;
      case 'MemberJoined':
        left.delete(event.payload.member);
        joined.add(event.payload.member);
        break;
      case 'MemberLeft':
        if (!joined.delete(event.payload.member)) left.add(event.payload.member);
        break;
      case 'MessagePosted':
        own.add(event.payload.messageName);
        break;
      case 'DigestPosted':
        if (event.payload.messageName !== undefined) own.add(event.payload.messageName);
        break;
      default:
        break;
    }
  }

  for (const name of own) messages.delete(name);
  const people = new Map<string, number>();
  const threads = new Map<string, number>();
  for (const { sender, thread } of messages.values()) {
    people.set(sender, (people.get(sender) ?? 0) + 1);
    if (thread !== undefined) threads.set(thread, (threads.get(thread) ?? 0) + 1);
  }

  return {
    messages: messages.size,
    ...counts,
    people: ranked(people),
    threads: ranked(threads).filter((t) => t.count >= 2),
    joined: [...joined],
    left: [...left],
    commands: ranked(commands),
    incidents,
  };
}

function ranked(counts: ReadonlyMap<string, number>): Tally[] {
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
