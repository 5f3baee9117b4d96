import { describe, expect, it } from 'vitest';
import { buildSpacelogApp, streamDigestSettings } from '../../shared/app/spacelog/index.js';
import { manualClock } from '../../shared/clock.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryEventStore, spaceStream } from '../../shared/eventlog/index.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { replies } from '../../shared/interaction/reply.js';
import { silentLogger } from '../../shared/log.js';
import {
  apiActionOf,
  decodePubsubEvent,
  handleInteractionMessage,
  NO_DIALOG_TEXT,
} from '../../shared/pubsub-handler/index.js';
import type { Publisher } from '../../shared/pubsub.js';
import { fakeIncidentChat } from '../support/fake-incident-chat.js';

const SPACE = 'spaces/AAA';

/** A classic @mention in a thread of a named space. */
const mention = {
  type: 'MESSAGE',
  eventTime: '2026-03-01T10:00:00.000Z',
  space: { name: SPACE, spaceType: 'SPACE' },
  user: { name: 'users/1', displayName: 'Alice', type: 'HUMAN' },
  message: {
    name: `${SPACE}/messages/M1`,
    text: '@Spacelog how are we doing?',
    thread: { name: `${SPACE}/threads/T1` },
    annotations: [
      { type: 'USER_MENTION', userMention: { user: { name: 'users/app', type: 'BOT' } } },
    ],
  },
};

const asPubsub = (event: unknown, messageId = '77') =>
  decodePubsubEvent({
    source: '//pubsub.googleapis.com/projects/p/topics/spacelog-interactions',
    data: {
      message: { data: Buffer.from(JSON.stringify(event)).toString('base64'), messageId },
    },
  });

function world() {
  const events = createMemoryEventStore();
  const chat = fakeIncidentChat();
  chat.messages.set(SPACE, []);
  const clock = manualClock('2026-03-01T10:00:01Z');
  const publisher: Publisher = { publish: () => Promise.resolve('1') };
  const config = loadConfig({});
  const app = buildSpacelogApp({
    events,
    publisher,
    clock,
    logger: silentLogger,
    digestSettings: streamDigestSettings(events),
    config,
  });
  return { events, chat, deps: { app, chat, events, clock } };
}

describe('a Chat interaction delivered through Pub/Sub', () => {
  it('is recorded as arriving over Pub/Sub and answered in its thread through the API', async () => {
    const { events, chat, deps } = world();
    const outcome = await handleInteractionMessage(deps, asPubsub(mention), silentLogger);

    expect(outcome).toBe('create');
    const [reply] = chat.messages.get(SPACE) ?? [];
    expect(reply?.text).toMatch(/^I have recorded 1 event in this space/);
    expect(reply?.thread?.name).toBe(`${SPACE}/threads/T1`);
    const stream = await events.readStream(spaceStream(SPACE));
    expect(stream.map((e) => e.type)).toEqual(['InteractionReceived', 'MessagePosted']);
    expect(stream[0]?.payload).toMatchObject({ via: 'pubsub', kind: 'mention' });
  });

  it('delivered three times at once (three Pub/Sub messages), is recorded once and answered once', async () => {
    const { events, chat, deps } = world();
    await Promise.all(
      ['1', '2', '3'].map((id) =>
        handleInteractionMessage(deps, asPubsub(mention, id), silentLogger),
      ),
    );
    expect(chat.messages.get(SPACE)).toHaveLength(1);
    const types = (await events.readStream(spaceStream(SPACE))).map((e) => e.type);
    expect(types.filter((t) => t === 'InteractionReceived')).toHaveLength(1);
    expect(types.filter((t) => t === 'MessagePosted')).toHaveLength(1);
  });

  it('is not answered again when the same interaction was answered over HTTP', async () => {
    const { chat, deps } = world();
    await deps.app.record(parseInteraction(mention), 'http');
    const outcome = await handleInteractionMessage(deps, asPubsub(mention), silentLogger);
    expect(outcome).toBe('answered-over-http');
    expect(chat.calls).toHaveLength(0);
  });

  it('is refused with the parser reason when it is not an interaction event', async () => {
    const { deps } = world();
    await expect(
      handleInteractionMessage(deps, asPubsub({ ...mention, user: undefined }), silentLogger),
    ).rejects.toMatchObject({ code: 'invalid-input', details: { reason: 'missing-user' } });
  });
});

describe('what a reply becomes at the API', () => {
  const interaction = parseInteraction(mention);

  it('turns a sign-in prompt into a private message with the link', () => {
    const action = apiActionOf(interaction, replies.requestConfig('https://sign.in/x', 'Spacelog'));
    expect(action).toMatchObject({
      kind: 'create',
      message: { privateMessageViewer: { name: 'users/1' } },
    });
    expect(action.kind === 'create' && action.message.text).toContain('https://sign.in/x');
  });

  it('answers a dialog with a private text, since the API cannot open one', () => {
    const action = apiActionOf(interaction, replies.openDialog({ sections: [] }));
    expect(action).toMatchObject({ kind: 'create', message: { text: NO_DIALOG_TEXT } });
  });

  it('updates the clicked message for a card click, and sends nothing for suggestions', () => {
    const click = parseInteraction({
      ...mention,
      type: 'CARD_CLICKED',
      common: { invokedFunction: 'digest.set' },
    });
    expect(apiActionOf(click, replies.updateMessage({ text: 'v2' }))).toMatchObject({
      kind: 'update',
      name: `${SPACE}/messages/M1`,
    });
    expect(apiActionOf(click, replies.updateWidget([]))).toMatchObject({ kind: 'none' });
  });
});
