import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { invalidInput, SpacelogError } from '../../shared/errors.js';
import { silentLogger } from '../../shared/log.js';
import {
  buildPubsubHandler,
  byAttribute,
  byCommand,
  byTopic,
  decodePubsubEvent,
  jsonOf,
  otherwise,
  unknownCommand,
  type PubsubMessage,
} from '../../shared/pubsub-handler/index.js';
import { createMemoryRejectedStore } from '../../shared/rejected.js';

const SOURCE = '//pubsub.googleapis.com/projects/spacelog-test/topics/spacelog-alerts';

/** A Pub/Sub CloudEvent as Eventarc delivers it. */
const cloudEvent = (data: unknown, attributes: Record<string, string> = {}, source = SOURCE) => ({
  id: '1001',
  source,
  type: 'google.cloud.pubsub.topic.v1.messagePublished',
  data: {
    message: {
      data: Buffer.from(JSON.stringify(data)).toString('base64'),
      attributes,
      messageId: '1001',
      publishTime: '2026-03-01T10:00:00.123Z',
    },
    subscription: 'projects/spacelog-test/subscriptions/alerts-chatpubsub',
  },
});

describe('decoding a Pub/Sub CloudEvent', () => {
  it('reads the message id, publish time, attributes, topic and base64 data', () => {
    const message = decodePubsubEvent(cloudEvent({ hello: 'world' }, { 'spacelog-command': 'x' }));
    expect(message).toMatchObject({
      messageId: '1001',
      publishTime: '2026-03-01T10:00:00.123Z',
      attributes: { 'spacelog-command': 'x' },
      topic: 'spacelog-alerts',
      subscription: 'projects/spacelog-test/subscriptions/alerts-chatpubsub',
    });
    expect(jsonOf(message)).toEqual({ hello: 'world' });
  });

  it('accepts the data as a JSON string (binary mode with another content type)', () => {
    const event = cloudEvent({ a: 1 });
    const message = decodePubsubEvent({ ...event, data: JSON.stringify(event.data) });
    expect(jsonOf(message)).toEqual({ a: 1 });
  });

  it('refuses an event without a message, and data that is not JSON', () => {
    expect(() => decodePubsubEvent({ data: { nope: true } })).toThrow(
      expect.objectContaining({ details: { reason: 'not-pubsub' } }),
    );
    const notJson = decodePubsubEvent({
      ...cloudEvent({}),
      data: { message: { data: Buffer.from('<xml/>').toString('base64'), messageId: '2' } },
    });
    expect(() => jsonOf(notJson)).toThrow(
      expect.objectContaining({ details: { reason: 'not-json' } }),
    );
  });
});

describe('the Pub/Sub handler', () => {
  const setup = (handle: (m: PubsubMessage) => Promise<unknown>) => {
    const rejected = createMemoryRejectedStore({
      maxBytes: 1024,
      retentionDays: 1,
      clock: manualClock('2026-03-01T10:00:00Z'),
      logger: silentLogger,
    });
    const seen: string[] = [];
    const routed = (name: string) => async (m: PubsubMessage) => {
      seen.push(name);
      return handle(m);
    };
    const handler = buildPubsubHandler({
      source: 'chatPubsub',
      rejected,
      logger: silentLogger,
      routes: [
        byCommand('open-incident', routed('open-incident')),
        unknownCommand(),
        byAttribute('workspace-event', 'ce-type', routed('workspace-event')),
        byTopic('alert', 'spacelog-alerts', routed('alert')),
        otherwise('interaction', routed('interaction')),
      ],
    });
    return { handler, rejected, seen };
  };

  it('routes by command attribute, then ce-type, then topic, then to interactions', async () => {
    const { handler, seen } = setup(() => Promise.resolve());
    await handler(cloudEvent({}, { 'spacelog-command': 'open-incident' }));
    await handler(cloudEvent({}, { 'ce-type': 'google.workspace.chat.message.v1.created' }));
    await handler(cloudEvent({}));
    await handler(
      cloudEvent({}, {}, '//pubsub.googleapis.com/projects/p/topics/spacelog-interactions'),
    );
    expect(seen).toEqual(['open-incident', 'workspace-event', 'alert', 'interaction']);
  });

  it('throws a transient failure, so the function fails and Pub/Sub delivers again', async () => {
    const { handler, rejected } = setup(() =>
      Promise.reject(new SpacelogError('unavailable', 'Chat is down.')),
    );
    await expect(handler(cloudEvent({}))).rejects.toMatchObject({ code: 'unavailable' });
    expect(rejected.records()).toHaveLength(0);
  });

  it('keeps a message that can never succeed with its reason, and acknowledges it', async () => {
    const { handler, rejected } = setup(() =>
      Promise.reject(invalidInput('Alert is malformed.', { reason: 'alert-field', field: 'key' })),
    );
    await expect(handler(cloudEvent({ key: 'bad key' }))).resolves.toBeUndefined();
    expect(rejected.records()).toMatchObject([
      { source: 'chatPubsub', reason: 'alert:alert-field:key', content: '{"key":"bad key"}' },
    ]);
  });

  it('refuses an unknown command and an event that is not a Pub/Sub message, acknowledging both', async () => {
    const { handler, rejected, seen } = setup(() => Promise.resolve());
    await handler(cloudEvent({}, { 'spacelog-command': 'launch-rockets' }));
    await handler({ id: 'x', data: { not: 'pubsub' } });
    expect(seen).toEqual([]);
    expect(
      rejected
        .records()
        .map((r) => r.reason)
        .sort(),
    ).toEqual(['decode:not-pubsub', 'unknown-command:unknown-command']);
  });
});
