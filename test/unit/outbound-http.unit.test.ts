import { describe, expect, it } from 'vitest';
import { SpacelogError } from '../../shared/errors.js';
import { createOutboundHttp } from '../../shared/outbound/http.js';
import { createWritePacer } from '../../shared/outbound/pacer.js';
import type { RetryPolicy } from '../../shared/outbound/retry.js';
import {
  fakeRuntime,
  scriptedFetch,
  virtualTime,
  type Scripted,
} from '../support/outbound-fakes.js';

const policy: RetryPolicy = {
  maxAttempts: 6,
  attemptTimeoutMs: 1_000,
  deadlineMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 32_000,
};

function setup(script: readonly Scripted[], p: RetryPolicy = policy) {
  const time = virtualTime();
  const fake = scriptedFetch(script, time.now);
  const http = createOutboundHttp(fakeRuntime(time, fake.fetch), p);
  return { time, fake, http };
}

const request = {
  call: 'test.call',
  method: 'POST' as const,
  url: 'http://127.0.0.1:9/x',
  body: { a: 1 },
};

async function failureOf(promise: Promise<unknown>): Promise<SpacelogError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SpacelogError);
  return err as SpacelogError;
}

describe('outbound http', () => {
  it('retries 429 and 5xx answers, then returns the success', async () => {
    const { http, fake } = setup([
      { status: 429 },
      { status: 503 },
      { status: 500 },
      { status: 200, body: { ok: 1 } },
    ]);
    const response = await http.send(request);
    expect(response.body).toEqual({ ok: 1 });
    expect(fake.seen).toHaveLength(4);
  });

  it('waits at least as long as Retry-After asks', async () => {
    const { http, time } = setup([
      { status: 429, headers: { 'retry-after': '9' } },
      { status: 200 },
    ]);
    await http.send(request);
    expect(time.sleeps).toEqual([9_000]);
  });

  it('retries timeouts and network failures', async () => {
    const { http, fake } = setup([{ throws: 'timeout' }, { throws: 'network' }, { status: 200 }]);
    await http.send(request);
    expect(fake.seen).toHaveLength(3);
  });

  it('maps 4xx answers to coded errors without retrying', async () => {
    for (const [status, code] of [
      [400, 'invalid-input'],
      [403, 'forbidden'],
      [404, 'not-found'],
      [409, 'conflict'],
    ] as const) {
      const { http, fake } = setup([{ status, body: { error: { code: status, status: 'X' } } }]);
      expect((await failureOf(http.send(request))).code).toBe(code);
      expect(fake.seen).toHaveLength(1);
    }
  });

  it('asks for a fresh token once after a 401', async () => {
    const { http } = setup([{ status: 401 }, { status: 200 }]);
    const asked: boolean[] = [];
    await http.send({ ...request, authorize: (fresh) => (asked.push(fresh), Promise.resolve({})) });
    expect(asked).toEqual([false, true]);
  });

  it('still asks for a fresh token when the token is refused on the last attempt', async () => {
    const { http, fake } = setup(
      [{ status: 503 }, { status: 503 }, { status: 401 }, { status: 200 }],
      {
        ...policy,
        maxAttempts: 3,
      },
    );
    const asked: boolean[] = [];
    await http.send({ ...request, authorize: (fresh) => (asked.push(fresh), Promise.resolve({})) });
    expect(asked).toEqual([false, false, false, true]);
    expect(fake.seen).toHaveLength(4);
  });

  it('gives up as unauthenticated when the fresh token is refused too', async () => {
    const { http, fake } = setup([{ status: 401 }]);
    const err = await failureOf(http.send({ ...request, authorize: () => Promise.resolve({}) }));
    expect(err.code).toBe('unauthenticated');
    expect(fake.seen).toHaveLength(2);
  });

  it('stops after maxAttempts with a retryable error', async () => {
    const { http, fake } = setup([{ status: 503 }], { ...policy, maxAttempts: 3 });
    const err = await failureOf(http.send(request));
    expect(err.code).toBe('unavailable');
    expect(fake.seen).toHaveLength(3);
  });

  it('stops before a wait would pass the deadline', async () => {
    const { http, time } = setup([{ status: 429, headers: { 'retry-after': '5' } }], {
      ...policy,
      maxAttempts: 20,
      deadlineMs: 12_000,
    });
    const err = await failureOf(http.send(request));
    expect(err.code).toBe('rate-limited');
    expect(time.now() - time.start).toBeLessThan(12_000);
    expect(time.sleeps).toEqual([5_000, 5_000]);
  });

  it('keeps the URL out of errors, since a webhook URL is a secret', async () => {
    const { http } = setup([{ status: 503 }], { ...policy, maxAttempts: 2 });
    const url = 'http://127.0.0.1:9/v1/spaces/A/messages?key=KEY123&token=TOKEN456';
    const err = await failureOf(http.send({ ...request, url }));
    const text = JSON.stringify({ message: err.message, details: err.details });
    expect(text).not.toContain('KEY123');
    expect(text).not.toContain('TOKEN456');
  });

  it('paces each attempt of a write through the pacer', async () => {
    const time = virtualTime();
    const fake = scriptedFetch([{ status: 503 }, { status: 200 }], time.now);
    const runtime = fakeRuntime(time, fake.fetch, () => 0);
    const pacer = createWritePacer({ perSpacePerMinute: 60 }, runtime);
    const http = createOutboundHttp(runtime, policy, pacer);
    await http.send({ ...request, pacedSpace: 'spaces/A' });
    const [first, second] = fake.seen.map((s) => s.at);
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(1_000);
  });
});
