/**
 * The `chatEvents` HTTP handler with fakes of its collaborators and
 * in-memory requests: refusals and their statuses, what is kept of refused
 * input (and what is only counted), the watchdog's holding reply, and logs
 * that carry no content.
 */
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createChatApp } from '../../shared/app/app.js';
import { buildChatEventsHandler, type ChatEventsDeps } from '../../shared/app/http-handler.js';
import type { AppServices } from '../../shared/app/types.js';
import { manualClock } from '../../shared/clock.js';
import { SpacelogError, unavailable } from '../../shared/errors.js';
import { createMemoryEventStore } from '../../shared/eventlog/index.js';
import type { BodyRequest } from '../../shared/http/body.js';
import { replies } from '../../shared/interaction/reply.js';
import { createLogger } from '../../shared/log.js';
import { createMemoryRejectedStore } from '../../shared/rejected.js';
import type { ChatVerifier } from '../../shared/verify/verifier.js';
import { addOn, classic, message } from '../support/chat-interactions.js';

const GOOD = 'Bearer good';
const SECRET_TEXT = 'the launch codes are 0000';

/** A verifier that accepts `Bearer good`, refuses others, or is down. */
function fakeVerifier(down = false): ChatVerifier {
  return {
    verify: (header) => {
      if (down) return Promise.reject(unavailable('certs down'));
      if (header === GOOD)
        return Promise.resolve({ kind: 'endpoint-url', issuer: 'i', email: 'e', expiresAt: 0 });
      return Promise.reject(
        new SpacelogError('unauthenticated', 'Request token refused.', { reason: 'bad-signature' }),
      );
    },
  };
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** A request as the functions framework hands it over (or a plain stream when `framework` is false). */
function request(
  body: string,
  headers: Record<string, string>,
  options: { method?: string; framework?: boolean } = {},
): BodyRequest {
  const raw = Buffer.from(body);
  const stream = Readable.from(options.framework === false ? [raw] : []);
  const fields: Record<string, unknown> = { method: options.method ?? 'POST', headers };
  if (options.framework !== false) {
    fields.rawBody = raw;
    try {
      fields.body = JSON.parse(body) as unknown;
    } catch {
      fields.body = {};
    }
  }
  return Object.assign(stream, fields) as unknown as BodyRequest;
}

function response(): { res: ServerResponse; answered: Promise<Answer> } {
  let resolve: (a: Answer) => void = () => undefined;
  const answered = new Promise<Answer>((r) => (resolve = r));
  const res = {
    statusCode: 0,
    headersSent: false,
    setHeader: () => undefined,
    end(text: string) {
      this.headersSent = true;
      resolve({ status: this.statusCode, body: JSON.parse(text) as Record<string, unknown> });
    },
    destroy: () => undefined,
  };
  return { res: res as unknown as ServerResponse, answered };
}

function setup(overrides: Partial<ChatEventsDeps> & { down?: boolean } = {}) {
  const lines: string[] = [];
  const logger = createLogger({ write: (l) => lines.push(l), level: 'DEBUG' });
  const clock = manualClock('2026-03-01T09:00:00Z');
  const services: AppServices = {
    events: createMemoryEventStore(),
    publisher: { publish: () => Promise.resolve('1') },
    clock,
    logger,
  };
  const rejected = createMemoryRejectedStore({ maxBytes: 256, retentionDays: 14, clock, logger });
  const app = createChatApp(services).onMention(() => replies.text('hello'));
  const handler = buildChatEventsHandler({
    verifier: fakeVerifier(overrides.down),
    app,
    rejected,
    logger,
    clock,
    maxBodyBytes: 2048,
    replyDeadlineMs: 25_000,
    projectId: 'p',
    ...overrides,
  });
  const send = async (req: BodyRequest) => {
    const { res, answered } = response();
    await handler(req, res);
    return answered;
  };
  return { handler, send, rejected, lines, services };
}

const json = { 'content-type': 'application/json', authorization: GOOD };
const mentionBody = JSON.stringify(classic('MESSAGE', { message: message(`@app ${SECRET_TEXT}`) }));

describe('chatEvents handler', () => {
  it('answers a verified interaction with the rendered reply', async () => {
    const { send } = setup();
    expect(await send(request(mentionBody, json))).toEqual({
      status: 200,
      body: { text: 'hello', actionResponse: { type: 'NEW_MESSAGE' } },
    });
  });

  it('refuses a bad token with 401, counting it and keeping nothing', async () => {
    const { send, handler, rejected } = setup();
    const answer = await send(request(mentionBody, { ...json, authorization: 'Bearer forged' }));
    expect(answer).toEqual({ status: 401, body: { error: 'Unauthenticated.' } });
    expect(handler.unauthenticated.totals()).toEqual({ 'bad-signature': 1 });
    expect(rejected.records()).toEqual([]);
  });

  it('answers 503 when the keys cannot be fetched', async () => {
    const { send } = setup({ down: true });
    expect(await send(request(mentionBody, json))).toEqual({
      status: 503,
      body: { error: 'Temporarily unavailable.' },
    });
  });

  it.each([
    [
      'a wrong content type',
      request(mentionBody, { ...json, 'content-type': 'text/plain' }),
      400,
      'content-type',
    ],
    [
      'a body over the limit',
      request(JSON.stringify({ pad: 'x'.repeat(5000) }), json),
      413,
      'body-too-large',
    ],
    [
      'a declared length over the limit',
      request('{}', { ...json, 'content-length': '999999' }, { framework: false }),
      413,
      'body-too-large',
    ],
    [
      'malformed JSON',
      request('{"type": "MESS', json, { framework: false }),
      400,
      'malformed-json',
    ],
    ['a body that is no interaction', request('{"hello":"world"}', json), 400, 'unknown-format'],
    ['a GET', request('', json, { method: 'GET' }), 400, 'method'],
  ])('refuses %s and keeps it with its reason', async (_name, req, status, reason) => {
    const { send, rejected } = setup();
    const answer = await send(req);
    expect(answer.status).toBe(status);
    expect(JSON.stringify(answer.body)).not.toMatch(/MESS|hello|pad/);
    expect(rejected.records().map((r) => r.reason)).toEqual([reason]);
  });

  it('keeps refused input cut to its limit, without add-on tokens, and never logs it', async () => {
    const { send, rejected, lines } = setup();
    const body = addOn('messagePayload', { space: undefined, message: message(SECRET_TEXT) });
    const answer = await send(request(JSON.stringify(body), json));
    expect(answer.status).toBe(400);
    const [kept] = rejected.records();
    expect(kept).toMatchObject({
      source: 'chatEvents',
      reason: 'missing-space',
      truncated: true,
      count: 1,
    });
    expect(Buffer.byteLength(kept!.content)).toBeLessThanOrEqual(256);
    expect(kept!.content).not.toContain('authorizationEventObject');
    expect(kept!.content).not.toContain('eyJ');
    expect(kept!.expireAt.toISOString()).toBe('2026-03-15T09:00:00.000Z');
    expect(lines.join('\n')).not.toContain(SECRET_TEXT);
  });

  it('logs the answered interaction by id and kind, never its text', async () => {
    const { send, lines } = setup();
    await send(request(mentionBody, json));
    const answered = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.message === 'Interaction answered.');
    expect(answered).toMatchObject({
      severity: 'INFO',
      kind: 'mention',
      format: 'classic',
      firstDelivery: true,
    });
    expect(lines.join('\n')).not.toContain(SECRET_TEXT);
  });

  it('sends a holding reply when the handler overruns the deadline, and the work goes on', async () => {
    let release: () => void = () => undefined;
    const finished: string[] = [];
    const lines: string[] = [];
    const logger = createLogger({ write: (l) => lines.push(l) });
    const clock = manualClock('2026-03-01T09:00:00Z');
    const events = createMemoryEventStore();
    const app = createChatApp({
      events,
      publisher: { publish: () => Promise.resolve('1') },
      clock,
      logger,
    }).onMention(async () => {
      await new Promise<void>((r) => (release = r));
      finished.push('handler');
      return replies.text('too late');
    });
    const handler = buildChatEventsHandler({
      verifier: fakeVerifier(),
      app,
      rejected: createMemoryRejectedStore({ maxBytes: 256, retentionDays: 1, clock, logger }),
      logger,
      clock,
      maxBodyBytes: 4096,
      replyDeadlineMs: 20,
      projectId: 'p',
    });
    const { res, answered } = response();
    const done = handler(request(mentionBody, json), res);
    const answer = await answered;
    expect(answer.status).toBe(200);
    expect(answer.body.text).toMatch(/^Still working on it/);
    expect(answer.body.privateMessageViewer).toEqual({ name: 'users/111' });
    release();
    await done;
    expect(finished).toEqual(['handler']);
    expect(events.size).toBe(1);
    expect(lines.some((l) => l.includes('Late reply dropped.'))).toBe(true);
  });

  it('answers 503 when even recording overruns the deadline', async () => {
    const clock = manualClock('2026-03-01T09:00:00Z');
    const logger = createLogger({ write: () => undefined });
    const stuck = createMemoryEventStore();
    const app = createChatApp({
      events: { ...stuck, append: () => new Promise(() => undefined) },
      publisher: { publish: () => Promise.resolve('1') },
      clock,
      logger,
    });
    const handler = buildChatEventsHandler({
      verifier: fakeVerifier(),
      app,
      rejected: createMemoryRejectedStore({ maxBytes: 256, retentionDays: 1, clock, logger }),
      logger,
      clock,
      maxBodyBytes: 4096,
      replyDeadlineMs: 20,
      projectId: 'p',
    });
    const { res, answered } = response();
    void handler(request(mentionBody, json), res);
    expect(await answered).toEqual({ status: 503, body: { error: 'Temporarily unavailable.' } });
  });
});
