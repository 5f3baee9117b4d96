import { Readable } from 'node:stream';
import type { ServerResponse } from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildChatEventsHandler } from '../../shared/app/http-handler.js';
import { buildSpacelogApp, streamDigestSettings } from '../../shared/app/spacelog/index.js';
import { manualClock } from '../../shared/clock.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryEventStore } from '../../shared/eventlog/index.js';
import type { BodyRequest } from '../../shared/http/body.js';
import { silentLogger } from '../../shared/log.js';
import { createMemoryRejectedStore } from '../../shared/rejected.js';
import type { ChatVerifier } from '../../shared/verify/verifier.js';
import { anyJson, CHAT_EVENT_TEMPLATES, nearValid } from '../support/fuzz-arbitraries.js';

const config = loadConfig({
  COMMAND_ID_INCIDENT: '3',
  COMMAND_ID_HELP: '1',
  COMMAND_ID_DIGEST: '2',
});
const clock = manualClock('2026-03-01T10:00:05Z');

/** Verification off: a fake that accepts every request, as a valid token would be. */
const acceptAll: ChatVerifier = {
  verify: () =>
    Promise.resolve({ kind: 'endpoint-url', issuer: 'test', email: 'test', expiresAt: 0 }),
};

/** The handler as `chatEvents` builds it, over an in-memory log and refused-input store. */
function handler() {
  const events = createMemoryEventStore({ clock });
  const app = buildSpacelogApp({
    events,
    publisher: { publish: () => Promise.resolve('1') },
    clock,
    logger: silentLogger,
    digestSettings: streamDigestSettings(events),
    config,
  });
  const rejected = createMemoryRejectedStore({
    maxBytes: 8192,
    retentionDays: 1,
    clock,
    logger: silentLogger,
  });
  return buildChatEventsHandler({
    verifier: acceptAll,
    app,
    rejected,
    logger: silentLogger,
    clock,
    maxBodyBytes: 65_536,
    replyDeadlineMs: 5000,
    projectId: 'fuzz',
  });
}

/** A request as node:http hands it over, and a response that remembers its status. */
async function send(
  answer: ReturnType<typeof handler>,
  request: { method: string; contentType: string; body: Buffer },
): Promise<number> {
  const req = Object.assign(Readable.from([request.body]), {
    method: request.method,
    headers: {
      'content-type': request.contentType,
      'content-length': String(request.body.length),
      authorization: 'Bearer fuzz',
    },
  }) as unknown as BodyRequest;
  let status = 0;
  let ended = false;
  const res = {
    statusCode: 200,
    headersSent: false,
    setHeader: () => undefined,
    end() {
      status = this.statusCode;
      ended = true;
    },
    destroy() {
      ended = true;
    },
  };
  await answer(req, res as unknown as ServerResponse);
  expect(ended).toBe(true);
  return status;
}

const body = fc.oneof(
  {
    weight: 3,
    arbitrary: nearValid(CHAT_EVENT_TEMPLATES).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  },
  { weight: 2, arbitrary: anyJson.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)) },
);
const request = fc.record({
  method: fc.oneof(
    { weight: 9, arbitrary: fc.constant('POST') },
    fc.constantFrom('GET', 'PUT', 'DELETE'),
  ),
  contentType: fc.oneof(
    { weight: 9, arbitrary: fc.constant('application/json') },
    fc.constantFrom(
      'application/json; charset=utf-8',
      'text/plain',
      '',
      'application/x-www-form-urlencoded',
    ),
  ),
  body,
});

// Thousands of runs each: generous on a loaded 2-core machine running the whole suite.
describe('chatEvents under fuzzing', { timeout: 60_000 }, () => {
  it('answers every template 200', async () => {
    const answer = handler();
    for (const template of CHAT_EVENT_TEMPLATES) {
      const status = await send(answer, {
        method: 'POST',
        contentType: 'application/json',
        body: Buffer.from(JSON.stringify(template)),
      });
      expect(status).toBe(200);
    }
  });

  it('never answers 5xx, whatever the method, content type and body', async () => {
    const answer = handler();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const status = await send(answer, r);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        expect(status).toBeGreaterThanOrEqual(200);
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 1500 },
    );
    // The inputs reach the app, not only the refusals: a good share is answered.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(150);
  });
});
