/**
 * Spacelog's own behaviour, written with the handler API, over an in-memory
 * event log and a recording publisher: joining and leaving, `/help`,
 * `/digest` and its buttons, `/incident`, plain messages, the sign-in
 * placeholders; retried and concurrent deliveries record once and get the
 * same reply.
 */
import { describe, expect, it } from 'vitest';
import { buildSpacelogApp, streamDigestSettings } from '../../shared/app/spacelog/index.js';
import { manualClock } from '../../shared/clock.js';
import { OPEN_INCIDENT, parseOpenIncident } from '../../shared/commands.js';
import { loadConfig } from '../../shared/config.js';
import { SpacelogError } from '../../shared/errors.js';
import {
  createMemoryEventStore,
  spaceStream,
  type EventStore,
  type RecordedEvent,
} from '../../shared/eventlog/index.js';
import type { Interaction } from '../../shared/interaction/model.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import type { Reply } from '../../shared/interaction/reply.js';
import { silentLogger } from '../../shared/log.js';
import type { OutgoingMessage } from '../../shared/pubsub.js';
import {
  addOn,
  addOnClick,
  addOnSlash,
  classic,
  classicClick,
  classicSlash,
  IDS,
  message,
  SPACE,
} from '../support/chat-interactions.js';

function spacelog() {
  const events = createMemoryEventStore();
  const published: [string, OutgoingMessage][] = [];
  const config = loadConfig({
    COMMAND_ID_HELP: IDS.help,
    COMMAND_ID_DIGEST: IDS.digest,
    COMMAND_ID_INCIDENT: IDS.incident,
    COMMAND_ID_SIGNOUT: IDS.signout,
    COMMAND_ID_MYSPACES: IDS.myspaces,
    DIGEST_DEFAULT_TIME: '09:00',
  });
  const app = buildSpacelogApp({
    events,
    publisher: {
      publish: (topic, m) => {
        published.push([topic, m]);
        return Promise.resolve(String(published.length));
      },
    },
    clock: manualClock('2026-03-01T09:00:00Z'),
    logger: silentLogger,
    digestSettings: streamDigestSettings(events),
    config,
  });
  const handle = async (body: Record<string, unknown>) =>
    (await app.handle(parseInteraction(body), 'http')).reply;
  const stream = async () => events.readStream(spaceStream(SPACE.name));
  const types = async () => (await stream()).map((e: RecordedEvent) => e.type);
  return { app, events, published, handle, stream, types };
}

const textOf = (reply: Reply) =>
  reply.kind === 'message' || reply.kind === 'update-message'
    ? (reply.message.text ?? JSON.stringify(reply.message.cardsV2))
    : reply.kind;

describe('Spacelog', () => {
  it('welcomes a space, recording that it joined, in which time zone, and the digest it starts with', async () => {
    const s = spacelog();
    const reply = await s.handle(classic('ADDED_TO_SPACE'));
    expect(reply.kind === 'message' && reply.message.cardsV2?.[0]?.cardId).toBe('welcome');
    expect(textOf(reply)).toContain('/incident TITLE');
    const [received, added, settings] = await s.stream();
    expect(received?.type).toBe('InteractionReceived');
    expect(added).toMatchObject({
      type: 'AppAddedToSpace',
      payload: {
        spaceName: SPACE.name,
        spaceType: 'SPACE',
        displayName: 'Ops',
        timeZone: 'Europe/Paris',
      },
    });
    expect(settings).toMatchObject({
      type: 'DigestSettingsChanged',
      payload: { enabled: true, cadence: 'daily', timeOfDay: '09:00', timeZone: 'Europe/Paris' },
    });
  });

  it('keeps the digest settings a space already had when it is added again', async () => {
    const s = spacelog();
    await s.handle(classic('ADDED_TO_SPACE'));
    await s.handle(classicClick('digest.set', { enabled: 'false' }, 1));
    await s.handle(classic('REMOVED_FROM_SPACE', {}, 2));
    const reply = await s.handle(classic('ADDED_TO_SPACE', {}, 3));
    expect(textOf(reply)).toContain('currently off');
    expect((await s.types()).filter((t) => t === 'DigestSettingsChanged')).toHaveLength(2);
  });

  it('records being removed, and answers nothing', async () => {
    const s = spacelog();
    const reply = await s.handle(addOn('removedFromSpacePayload', {}));
    expect(reply.kind).toBe('nothing');
    expect(await s.types()).toEqual(['InteractionReceived', 'AppRemovedFromSpace']);
  });

  it('lists its commands on /help, privately', async () => {
    const s = spacelog();
    const reply = await s.handle(classicSlash(IDS.help));
    expect(reply.kind === 'message' && reply.message.privateTo).toBe('users/111');
    expect(textOf(reply)).toContain('/digest');
  });

  it('shows the digest settings on /digest, with buttons carrying the values they set', async () => {
    const s = spacelog();
    const reply = await s.handle(addOnSlash(IDS.digest));
    const json = textOf(reply);
    expect(json).toContain('Currently daily at 09:00 (Europe/Paris)');
    for (const p of [
      '{"key":"enabled","value":"false"}',
      '{"key":"cadence","value":"weekly"}',
      '{"key":"timeOfDay","value":"08:00"}',
      '{"key":"timeOfDay","value":"10:00"}',
    ]) {
      expect(json).toContain(p);
    }
  });

  it('changes the digest on a button, records the new settings and updates the card', async () => {
    const s = spacelog();
    await s.handle(classic('ADDED_TO_SPACE'));
    const off = await s.handle(classicClick('digest.set', { enabled: 'false' }, 1));
    expect(off.kind).toBe('update-message');
    expect(textOf(off)).toContain('Currently off');
    const weekly = await s.handle(addOnClick('digest.set', { cadence: 'weekly' }, 2));
    expect(textOf(weekly)).toContain('Weekly, Mondays');
    const later = await s.handle(
      classicClick('digest.set', { timeOfDay: '10:00', enabled: 'true' }, 3),
    );
    expect(textOf(later)).toContain('Currently weekly on Mondays at 10:00 (Europe/Paris)');
    const changes = (await s.stream())
      .filter((e) => e.type === 'DigestSettingsChanged')
      .map((e) => e.payload);
    expect(changes.at(-1)).toEqual({
      enabled: true,
      cadence: 'weekly',
      weekday: 1,
      timeOfDay: '10:00',
      timeZone: 'Europe/Paris',
      quiet: 'note',
    });
  });

  it('takes the time zone of the interaction that changes a setting', async () => {
    const s = spacelog();
    await s.handle(classic('ADDED_TO_SPACE'));
    const click = classicClick('digest.set', { timeOfDay: '07:00' }, 1);
    (click.common as Record<string, unknown>).timeZone = { id: 'Asia/Kolkata' };
    expect(textOf(await s.handle(click))).toContain('07:00 (Asia/Kolkata)');
  });

  it('records a click delivered again nothing new and answers it with the same card', async () => {
    const s = spacelog();
    await s.handle(classic('ADDED_TO_SPACE'));
    const click = classicClick('digest.set', { enabled: 'false' }, 1);
    const first = await s.handle(click);
    const size = s.events.size;
    const again = await s.handle(click);
    expect(again).toEqual(first);
    expect(s.events.size).toBe(size);
  });

  it('records three concurrent deliveries of one click once, with one reply', async () => {
    const s = spacelog();
    await s.handle(classic('ADDED_TO_SPACE'));
    const size = s.events.size;
    const click = classicClick('digest.set', { cadence: 'weekly' }, 1);
    const replies = await Promise.all([s.handle(click), s.handle(click), s.handle(click)]);
    expect(replies[1]).toEqual(replies[0]);
    expect(replies[2]).toEqual(replies[0]);
    expect(s.events.size).toBe(size + 2); // InteractionReceived and DigestSettingsChanged
  });

  it('refuses a button with values it does not know, privately', async () => {
    const s = spacelog();
    const reply = await s.handle(classicClick('digest.set', { enabled: 'maybe' }));
    expect(reply.kind === 'message' && reply.message.privateTo).toBe('users/111');
    expect(await s.types()).toEqual(['InteractionReceived']);
  });

  it('answers /incident at once and hands an OpenIncident command to the alerts topic', async () => {
    const s = spacelog();
    const reply = await s.handle(addOnSlash(IDS.incident, '  Checkout   is down '));
    expect(textOf(reply)).toBe(
      'Opening incident “Checkout is down”. I will post here when its space is ready.',
    );
    expect(s.published).toHaveLength(1);
    const [topic, sent] = s.published[0]!;
    expect(topic).toBe('spacelog-alerts');
    expect(sent.attributes).toEqual({ 'spacelog-command': OPEN_INCIDENT });
    expect(parseOpenIncident(sent.data)).toEqual({
      command: 'OpenIncident',
      incidentKey: expect.stringMatching(/^inc-[0-9a-f]{32}$/) as string,
      title: 'Checkout is down',
      requestedBy: 'users/111',
      originSpace: SPACE.name,
      format: 'add-on',
    });
  });

  it('publishes the same incident key when /incident is delivered again', async () => {
    const s = spacelog();
    const body = classicSlash(IDS.incident, ' DB down');
    await s.handle(body);
    await s.handle(body);
    const keys = s.published.map(([, m]) => parseOpenIncident(m.data).incidentKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('asks for a title on /incident without one, and publishes nothing', async () => {
    const s = spacelog();
    const reply = await s.handle(classicSlash(IDS.incident, '   '));
    expect(textOf(reply)).toMatch(/^Say what is wrong/);
    expect(s.published).toHaveLength(0);
  });

  it('answers a mention with what it recorded in the space, the same on a retry', async () => {
    const s = spacelog();
    await s.handle(classic('ADDED_TO_SPACE'));
    const body = classic('MESSAGE', { message: message('@app what do you know?') }, 5);
    const first = await s.handle(body);
    await s.handle(classic('MESSAGE', { message: message('@app other') }, 6));
    const retry = await s.handle(body);
    expect(textOf(first)).toBe(
      'I have recorded 4 events in this space. The digest is daily at 09:00 (Europe/Paris). Type /help to see what I can do.',
    );
    expect(retry).toEqual(first);
  });

  it('resolves /signout and /myspaces to a not-enabled answer', async () => {
    const s = spacelog();
    for (const id of [IDS.signout, IDS.myspaces]) {
      expect(textOf(await s.handle(classicSlash(id)))).toBe(
        'Sign-in features are not enabled here yet.',
      );
    }
  });

  it('reads digest settings incrementally, seeing a change made through another reader', async () => {
    const s = spacelog();
    const reader = streamDigestSettings(s.events);
    expect(await reader.read(SPACE.name)).toBeUndefined();
    await s.handle(classic('ADDED_TO_SPACE'));
    await s.handle(classicClick('digest.set', { enabled: 'false' }, 1));
    expect(await reader.read(SPACE.name)).toMatchObject({ enabled: false });
  });

  it('answers a prepared read once, as the settings were when it started, then reads afresh', async () => {
    const s = spacelog();
    await s.handle(classic('ADDED_TO_SPACE'));
    const reader = streamDigestSettings(s.events);
    reader.prepare('interaction-1', SPACE.name);
    await s.handle(classicClick('digest.set', { enabled: 'false' }, 1));
    expect(await reader.read(SPACE.name, 'interaction-1')).toMatchObject({ enabled: true });
    expect(await reader.read(SPACE.name, 'interaction-1')).toMatchObject({ enabled: false });
    expect(await reader.read(SPACE.name, 'never-prepared')).toMatchObject({ enabled: false });
  });

  it('gives a prepared read that failed to the handler that asks, and to no one else', async () => {
    const failing: EventStore = {
      ...createMemoryEventStore(),
      readStream: () => Promise.reject(new SpacelogError('unavailable', 'down')),
    };
    const reader = streamDigestSettings(failing);
    reader.prepare('interaction-2', SPACE.name);
    reader.prepare('interaction-3', SPACE.name); // never asked for: must not go unhandled
    await new Promise((r) => setTimeout(r, 10));
    await expect(reader.read(SPACE.name, 'interaction-2')).rejects.toMatchObject({
      code: 'unavailable',
    });
  });
});

describe('OpenIncident command', () => {
  it('refuses data that is not one, naming the field', () => {
    const attempt = (data: unknown) => {
      try {
        parseOpenIncident(data);
        return 'parsed';
      } catch (err) {
        return (err as { details: { field: string } }).details.field;
      }
    };
    const good: Interaction['format'] = 'classic';
    const valid = {
      command: 'OpenIncident',
      incidentKey: 'inc-1',
      title: 'x',
      requestedBy: 'users/1',
      originSpace: 'spaces/A',
      format: good,
    };
    expect(attempt(valid)).toBe('parsed');
    expect(attempt({ ...valid, incidentKey: 'has spaces' })).toBe('incidentKey');
    expect(attempt({ ...valid, extra: 1 })).toBe('extra');
  });
});
