import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePostDigest, POST_DIGEST } from '../../shared/commands.js';
import { handleDigestJob } from '../../shared/digest/job.js';
import { buildScheduledDigest } from '../../shared/digest/scheduled.js';
import { SpacelogError } from '../../shared/errors.js';
import {
  newEvent,
  spaceStream,
  type EventStore,
  type NewEvent,
} from '../../shared/eventlog/index.js';
import { spaceDocId } from '../../shared/projections/index.js';
import { COMMAND_ATTRIBUTE } from '../../shared/pubsub.js';
import { MAX_MESSAGE_BYTES } from '../../local/standins/chat-api.js';
import { startDigestStack } from '../support/digest-stack.js';

const PROJECT = 'digest-delivery-it';
const JOBS_SUB = 'digest-jobs-pull';
const HUMANS = ['users/2001', 'users/2002', 'users/2003'];

let stack: Awaited<ReturnType<typeof startDigestStack>>;
let n = 0;

beforeAll(async () => {
  stack = await startDigestStack({ projectId: PROJECT, start: '2026-03-28T06:00:00Z' });
  await stack.pubsub.topic(stack.config.digestJobsTopic, JOBS_SUB);
  for (const [i, id] of HUMANS.entries())
    stack.chat.addUser({ name: id, displayName: `Person ${i}` });
});

afterAll(async () => {
  await stack.close();
});

/** A fresh space in the Chat stand-in with digests at 09:00 Berlin time. */
async function spaceWithDigest(settings: Record<string, unknown> = {}): Promise<string> {
  const space = stack.chat.addSpace({ displayName: `team ${++n}`, members: HUMANS }).name!;
  await record(
    newEvent('AppAddedToSpace', {
      id: `added-${space}`,
      stream: spaceStream(space),
      occurredAt: stack.clock.now(),
      causedBy: { kind: 'user', id: HUMANS[0]! },
      payload: { spaceName: space, spaceType: 'SPACE', displayName: `team ${n}` },
    }),
    newEvent('DigestSettingsChanged', {
      id: `settings-${space}`,
      stream: spaceStream(space),
      occurredAt: stack.clock.now(),
      causedBy: { kind: 'user', id: HUMANS[0]! },
      payload: {
        enabled: true,
        cadence: 'daily',
        timeOfDay: '09:00',
        timeZone: 'Europe/Berlin',
        ...settings,
      },
    }),
  );
  return space;
}

async function record(...list: NewEvent[]) {
  for (const e of list) await stack.events.append(e);
  await stack.projector.catchUp({ streams: [...new Set(list.map((e) => e.stream))] });
}

const said = (space: string, sender: string) => {
  const name = `${space}/messages/h${++n}`;
  return newEvent('SpaceMessageCreated', {
    id: `chat:${name}:created`,
    stream: spaceStream(space),
    occurredAt: stack.clock.now(),
    causedBy: { kind: 'user', id: sender },
    payload: { messageName: name, sender, textLength: 4 },
  });
};

/** Runs the scheduled function's handler, then the jobs it put on the digest-jobs topic. */
async function tickThroughPubsub(expected: number, deps = stack.services.job) {
  await buildScheduledDigest(stack.services)();
  const pulled = await stack.pubsub.pull(JOBS_SUB, expected, expected === 0 ? 500 : 5_000);
  for (const m of pulled) expect(m.attributes[COMMAND_ATTRIBUTE]).toBe(POST_DIGEST);
  return {
    pulled,
    run: () => Promise.all(pulled.map((m) => handleDigestJob(deps, parsePostDigest(m.data)))),
  };
}

const appMessages = (space: string) =>
  stack.chat.messages(space).filter((m) => m.sender?.name === stack.chat.appUser);

describe('scheduled digest over Pub/Sub, Firestore and the Chat stand-in', () => {
  it('fans out a job through Pub/Sub and posts one digest card for overlapping ticks', async () => {
    const space = await spaceWithDigest();
    await record(said(space, HUMANS[1]!), said(space, HUMANS[1]!), said(space, HUMANS[2]!));
    stack.clock.set('2026-03-28T08:00:00Z');

    const first = await tickThroughPubsub(1);
    const second = await tickThroughPubsub(1);
    const mine = [...first.pulled, ...second.pulled].filter(
      (m) => parsePostDigest(m.data).space === space,
    );
    expect(mine).toHaveLength(2);
    await Promise.all([first.run(), second.run()]);

    const posted = appMessages(space);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.cardsV2?.[0]?.card?.header?.subtitle).toBe(
      'Fri 27 Mar, 09:00 – Sat 28 Mar, 09:00 (Europe/Berlin)',
    );
    expect(posted[0]?.text).toContain('3 messages from 2 people');
    const schedule = await stack.projections.get('digestSchedules', spaceDocId(space));
    expect(schedule?.nextDueAt).toBe('2026-03-29T07:00:00.000Z');
    expect((await tickThroughPubsub(0)).pulled).toHaveLength(0);
  });

  it('after a crash between posting and recording, a redelivered job leaves one message and moves the checkpoint', async () => {
    const space = await spaceWithDigest();
    await record(said(space, HUMANS[1]!));
    const covered = await stack.events.streamVersion(spaceStream(space));
    stack.clock.set('2026-03-29T07:00:00Z');

    let crash = true;
    const crashing: EventStore = {
      ...stack.events,
      append: async (event, options) => {
        if (event.type === 'DigestPosted' && crash) {
          crash = false;
          throw new SpacelogError('unavailable', 'instance stopped');
        }
        return stack.events.append(event, options);
      },
    };
    const { pulled } = await tickThroughPubsub(1);
    const job = pulled.map((m) => parsePostDigest(m.data)).find((j) => j.space === space)!;
    await expect(
      handleDigestJob({ ...stack.services.job, events: crashing }, job),
    ).rejects.toThrow();
    expect(appMessages(space)).toHaveLength(1);

    expect(await handleDigestJob({ ...stack.services.job, events: crashing }, job)).toBe('posted');
    expect(appMessages(space)).toHaveLength(1);
    const schedule = await stack.projections.get('digestSchedules', spaceDocId(space));
    expect(schedule?.lastCheckpointVersion).toBe(covered);
    expect(schedule?.lastPeriodEnd).toBe('2026-03-29T07:00:00.000Z');
  });

  it('trims a digest bigger than Chat allows and still posts it', async () => {
    const space = await spaceWithDigest();
    const crowd = Array.from({ length: 120 }, (_, i) => `users/${30_000 + i}`);
    for (const id of crowd)
      stack.chat.addUser({ name: id, displayName: `${'A rather long name '.repeat(9)}${id}` });
    const joins = crowd.map((member) =>
      newEvent('MemberJoined', {
        id: `join-${space}-${member}`,
        stream: spaceStream(space),
        occurredAt: stack.clock.now(),
        causedBy: { kind: 'system', id: 'workspace-events' },
        payload: { member, displayName: `${'A rather long name '.repeat(9)}${member}` },
      }),
    );
    const threads = crowd.flatMap((sender) => {
      const thread = `${space}/threads/t${sender.slice(6)}`;
      return [0, 1].map(() => {
        const e = said(space, sender);
        return { ...e, payload: { ...e.payload, threadName: thread } };
      });
    });
    await record(...joins, ...threads);
    stack.clock.set('2026-03-30T07:00:00Z');

    await (await tickThroughPubsub(1)).run();
    const [digest] = appMessages(space);
    expect(digest).toBeDefined();
    const bytes =
      Buffer.byteLength(digest?.text ?? '') +
      Buffer.byteLength(JSON.stringify(digest?.cardsV2 ?? []));
    expect(bytes).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(JSON.stringify(digest?.cardsV2)).toMatch(/and \d+ more/);
    expect(digest?.text).toContain('240 messages from 120 people');
  });

  it("posts through the space's incoming webhook when the space chose it", async () => {
    const space = await spaceWithDigest({ delivery: 'webhook' });
    stack.secretValues.set(
      `${stack.config.webhookSecretPrefix}${space.slice(7)}`,
      stack.chat.registerWebhook(space),
    );
    await record(said(space, HUMANS[2]!));
    stack.clock.set('2026-03-31T07:00:00Z');

    await (await tickThroughPubsub(1)).run();
    const posted = stack.chat
      .messages(space)
      .filter((m) => m.sender?.name?.startsWith('users/webhook-'));
    expect(posted).toHaveLength(1);
    const recorded = (await stack.events.readStream(spaceStream(space))).find(
      (e) => e.type === 'DigestPosted',
    );
    expect(recorded?.payload).toMatchObject({ delivery: 'webhook', messageName: posted[0]?.name });
  });

  it('gives no more digests to a space the app was removed from', async () => {
    const space = await spaceWithDigest();
    await record(
      newEvent('AppRemovedFromSpace', {
        id: `removed-${space}`,
        stream: spaceStream(space),
        occurredAt: stack.clock.now(),
        causedBy: { kind: 'user', id: HUMANS[0]! },
        payload: { spaceName: space },
      }),
    );
    stack.clock.set('2026-04-01T07:00:00Z');
    const { pulled } = await tickThroughPubsub(0);
    expect(pulled.filter((m) => parsePostDigest(m.data).space === space)).toHaveLength(0);
    expect(appMessages(space)).toHaveLength(0);
  });
});
