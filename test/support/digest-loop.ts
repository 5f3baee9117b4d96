/**
 * The digest loop over in-memory parts, for unit tests: the memory event log
 * and projections with the real projector, a publisher that queues jobs, and
 * a fake Chat that honours `requestId` as Chat does (a repeat returns the
 * first message). Time is a manual clock.
 */
import { manualClock } from '../../shared/clock.js';
import { parsePostDigest, type PostDigest } from '../../shared/commands.js';
import type { DigestPoster } from '../../shared/digest/deliver.js';
import { handleDigestJob, type DigestJobDeps } from '../../shared/digest/job.js';
import { handleDigestTick, type DigestTickDeps } from '../../shared/digest/tick.js';
import {
  createMemoryEventStore,
  newEvent,
  spaceStream,
  type EventStore,
  type NewEvent,
  type PayloadOf,
} from '../../shared/eventlog/index.js';
import { silentLogger } from '../../shared/log.js';
import type { ChatMessage } from '../../shared/outbound/index.js';
import { createMemoryProjectionStore, createProjector } from '../../shared/projections/index.js';
import type { OutgoingMessage } from '../../shared/pubsub.js';

/** A message the fake Chat made. */
export interface MadeMessage {
  readonly space: string;
  readonly name: string;
  readonly requestId: string;
  readonly message: ChatMessage;
  readonly at: Date;
  readonly via: 'api' | 'webhook';
}

/** Builds the loop; `wrapEvents` lets a test put a faulty store in front of the log. */
export function digestLoop(start: string, wrapEvents?: (store: EventStore) => EventStore) {
  const clock = manualClock(start);
  const log = createMemoryEventStore({ clock });
  const events = wrapEvents ? wrapEvents(log) : log;
  const projections = createMemoryProjectionStore();
  const projector = createProjector({ events: log, store: projections });
  const queue: OutgoingMessage[] = [];
  const made: MadeMessage[] = [];
  const calls = { create: 0 };
  let seq = 0;

  const make = (space: string, requestId: string, message: ChatMessage, via: 'api' | 'webhook') => {
    calls.create += 1;
    const first = made.find((m) => m.space === space && m.requestId === requestId);
    if (first) return first;
    const m = {
      space,
      requestId,
      message,
      at: clock.now(),
      via,
      name: `${space}/messages/m${++seq}`,
    };
    made.push(m);
    return m;
  };
  const poster: DigestPoster = {
    chat: {
      createMessage: async (input) => {
        await Promise.resolve();
        const m = make(input.space, input.requestId, input.message, 'api');
        return { message: { name: m.name }, messages: [{ name: m.name }], trimmed: false };
      },
    },
    webhooks: {
      send: async (space, message) => {
        await Promise.resolve();
        const m = make(space, message.requestId ?? '', { ...message } as ChatMessage, 'webhook');
        return { name: m.name, parts: 1 };
      },
    },
  };

  const tick: DigestTickDeps = {
    projections,
    publisher: {
      publish: async (_topic, message) => {
        await Promise.resolve();
        queue.push(message);
        return String(queue.length);
      },
    },
    clock,
    logger: silentLogger,
    jobsTopic: 'jobs',
    maxSpaces: 1000,
    concurrency: 8,
  };
  const job: DigestJobDeps = {
    events,
    projections,
    poster,
    clock,
    logger: silentLogger,
    quiet: 'note',
    onRecorded: async (event) => void (await projector.catchUp({ streams: [event.stream] })),
  };

  /** Appends events to the log and projects them. */
  const append = async (...list: NewEvent[]) => {
    for (const e of list) await log.append(e);
    await projector.catchUp();
  };
  let n = 0;
  const at = () => clock.now();

  return {
    clock,
    log,
    events,
    projections,
    projector,
    queue,
    made,
    calls,
    tick,
    job,
    append,
    /** The app joins `space` and digests are set up. */
    async setUp(space: string, settings: Partial<PayloadOf<'DigestSettingsChanged'>> = {}) {
      await append(
        newEvent('AppAddedToSpace', {
          id: `added-${space}-${++n}`,
          stream: spaceStream(space),
          occurredAt: at(),
          causedBy: { kind: 'user', id: 'users/1' },
          payload: { spaceName: space, spaceType: 'SPACE', displayName: `Room ${space}` },
        }),
        newEvent('DigestSettingsChanged', {
          id: `settings-${space}-${++n}`,
          stream: spaceStream(space),
          occurredAt: at(),
          causedBy: { kind: 'user', id: 'users/1' },
          payload: {
            enabled: true,
            cadence: 'daily',
            timeOfDay: '09:00',
            timeZone: 'Europe/Berlin',
            ...settings,
          },
        }),
      );
    },
    /** A person writes a message in `space`. */
    message(space: string, sender = 'users/2', thread?: string): NewEvent {
      const name = `${space}/messages/h${++n}`;
      return newEvent('SpaceMessageCreated', {
        id: `chat:${name}:created`,
        stream: spaceStream(space),
        occurredAt: at(),
        causedBy: { kind: 'user', id: sender },
        payload: {
          messageName: name,
          sender,
          textLength: 5,
          ...(thread !== undefined && { threadName: thread }),
        },
      });
    },
    removed(space: string): NewEvent {
      return newEvent('AppRemovedFromSpace', {
        id: `removed-${space}-${++n}`,
        stream: spaceStream(space),
        occurredAt: at(),
        causedBy: { kind: 'user', id: 'users/1' },
        payload: { spaceName: space },
      });
    },
    /** Runs a tick: the jobs it published, taken off the queue. */
    async runTick(): Promise<PostDigest[]> {
      await handleDigestTick(tick);
      return queue.splice(0).map((m) => parsePostDigest(m.data));
    },
    runJob: (command: PostDigest) => handleDigestJob(job, command),
    /** Ticks and runs every job it published. */
    async tickAndRun() {
      const jobs = await this.runTick();
      return Promise.all(jobs.map((j) => handleDigestJob(job, j)));
    },
  };
}
