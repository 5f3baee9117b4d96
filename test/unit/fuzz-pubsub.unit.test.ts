import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSpacelogApp, streamDigestSettings } from '../../shared/app/spacelog/index.js';
import { manualClock } from '../../shared/clock.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryEventStore } from '../../shared/eventlog/index.js';
import { handleAlert, parseAlert } from '../../shared/incidents/index.js';
import { silentLogger } from '../../shared/log.js';
import {
  buildPubsubHandler,
  byTopic,
  handleInteractionMessage,
  jsonOf,
  otherwise,
  receivedAt,
  type CloudEventLike,
} from '../../shared/pubsub-handler/index.js';
import { createMemoryRejectedStore } from '../../shared/rejected.js';
import { fakeIncidentChat } from '../support/fake-incident-chat.js';
import {
  ALERT_TEMPLATES,
  anyJson,
  CHAT_EVENT_TEMPLATES,
  nearValid,
} from '../support/fuzz-arbitraries.js';

const ALERTS = 'spacelog-alerts';
const INTERACTIONS = 'spacelog-interactions';
const clock = manualClock('2026-03-01T10:00:05Z');

/**
 * `chatPubsub`'s handler with its alert and interaction routes as
 * `chatPubsubRoutes` builds them, over an in-memory log and a fake Chat.
 */
function handler() {
  const events = createMemoryEventStore({ clock });
  const chat = fakeIncidentChat();
  const app = buildSpacelogApp({
    events,
    publisher: { publish: () => Promise.resolve('1') },
    clock,
    logger: silentLogger,
    digestSettings: streamDigestSettings(events),
    config: loadConfig({ COMMAND_ID_INCIDENT: '3', COMMAND_ID_HELP: '1' }),
  });
  const incidents = {
    events,
    chat,
    clock,
    logger: silentLogger,
    settings: { mode: 'app', appScopesApproved: true, responders: [] },
  } as const;
  const rejected = createMemoryRejectedStore({
    maxBytes: 8192,
    retentionDays: 1,
    clock,
    logger: silentLogger,
    maxWritesPerMinute: 1_000_000,
  });
  const handle = buildPubsubHandler({
    routes: [
      byTopic('alert', ALERTS, (m) =>
        handleAlert(incidents, parseAlert(jsonOf(m)), receivedAt(m, clock.now())),
      ),
      otherwise('interaction', (m, log) =>
        handleInteractionMessage({ app, chat, events, clock }, m, log),
      ),
    ],
    rejected,
    logger: silentLogger,
    source: 'chatPubsub',
  });
  return { handle, rejected };
}

/** A Pub/Sub CloudEvent carrying `data` on `topic`. */
function cloudEvent(topic: string, data: Buffer, id: number): CloudEventLike {
  return {
    id: String(id),
    source: `//pubsub.googleapis.com/projects/fuzz/topics/${topic}`,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    data: { message: { data: data.toString('base64'), messageId: String(id) } },
  };
}

const refusals = (records: readonly { count: number }[]) =>
  records.reduce((n, r) => n + r.count, 0);
const json = (v: unknown) => Buffer.from(JSON.stringify(v) ?? 'null');
const bytes = fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b));
const message = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constant(ALERTS), nearValid(ALERT_TEMPLATES).map(json)) },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.constant(INTERACTIONS), nearValid(CHAT_EVENT_TEMPLATES).map(json)),
  },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(ALERTS, INTERACTIONS), anyJson.map(json)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(ALERTS, INTERACTIONS), bytes) },
);

// Thousands of runs each: generous on a loaded 2-core machine running the whole suite.
describe('chatPubsub under fuzzing', { timeout: 60_000 }, () => {
  it('acknowledges every alert and interaction message, never asking for a retry', async () => {
    const { handle, rejected } = handler();
    let id = 0;
    let handled = 0;
    await fc.assert(
      fc.asyncProperty(message, async ([topic, data]) => {
        id += 1;
        const before = refusals(rejected.records());
        // A throw is a 5xx: Pub/Sub would deliver the message again, forever.
        await expect(handle(cloudEvent(topic, data, id))).resolves.toBeUndefined();
        if (refusals(rejected.records()) === before) handled += 1;
      }),
      { numRuns: 1500 },
    );
    // The inputs reach the routes' code, not only the refusals.
    expect(handled).toBeGreaterThan(150);
    expect(rejected.records().every((r) => r.reason.length > 0)).toBe(true);
  });
});
