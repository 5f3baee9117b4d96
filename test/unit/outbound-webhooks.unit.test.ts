import { describe, expect, it } from 'vitest';
import type { SpacelogError } from '../../shared/errors.js';
import { createLogger } from '../../shared/log.js';
import { createOutboundHttp } from '../../shared/outbound/http.js';
import { createWritePacer } from '../../shared/outbound/pacer.js';
import { createWebhookSender } from '../../shared/outbound/webhooks.js';
import type { SecretReader } from '../../shared/secrets.js';
import { scriptedFetch, virtualTime, type Scripted } from '../support/outbound-fakes.js';

const HOOK = 'http://127.0.0.1:7000/v1/spaces/A/messages?key=KEYSECRET1&token=TOKSECRET2';

function setup(script: readonly Scripted[], stored: Record<string, string> = { 'hook-A': HOOK }) {
  const time = virtualTime();
  const fake = scriptedFetch(script, time.now);
  const lines: string[] = [];
  const logger = createLogger({ level: 'DEBUG', write: (l) => lines.push(l) });
  const runtime = {
    fetch: fake.fetch,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0.5,
    logger,
  };
  const policy = {
    maxAttempts: 3,
    attemptTimeoutMs: 1000,
    deadlineMs: 60_000,
    baseDelayMs: 100,
    maxDelayMs: 1000,
  };
  const http = createOutboundHttp(
    runtime,
    policy,
    createWritePacer({ perSpacePerMinute: 60 }, runtime),
  );
  const invalidated: string[] = [];
  const secrets: SecretReader = {
    read: (name) => {
      const value = stored[name];
      return value === undefined
        ? Promise.reject(new Error('no such secret'))
        : Promise.resolve(value);
    },
    invalidate: (name) => void invalidated.push(name),
  };
  const sender = createWebhookSender({
    secrets,
    secretPrefix: 'hook-',
    http,
    chatApiUrl: 'http://127.0.0.1:7000',
  });
  return { sender, seen: fake.seen, lines, invalidated };
}

const posted = {
  status: 200,
  body: { name: 'spaces/A/messages/M1', thread: { name: 'spaces/A/threads/T1' } },
};

describe('webhook sender', () => {
  it('posts to the URL from the space’s secret, threaded by key', async () => {
    const { sender, seen } = setup([posted]);
    const result = await sender.send('spaces/A', {
      text: 'deployed',
      threadKey: 'deploys',
      requestId: 'r-1',
    });
    const url = new URL(seen[0]?.url ?? '');
    expect(url.searchParams.get('key')).toBe('KEYSECRET1');
    expect(url.searchParams.get('threadKey')).toBe('deploys');
    expect(url.searchParams.get('messageReplyOption')).toBe('REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
    expect(url.searchParams.get('requestId')).toBe('r-1');
    expect(seen[0]?.headers['authorization']).toBeUndefined();
    expect(result).toEqual({
      name: 'spaces/A/messages/M1',
      thread: 'spaces/A/threads/T1',
      parts: 1,
    });
  });

  it('keeps the webhook URL out of errors and logs, even after retries', async () => {
    const { sender, lines } = setup([{ status: 503 }]);
    const err = (await sender
      .send('spaces/A', { text: 'x' })
      .catch((e: unknown) => e)) as SpacelogError;
    expect(err.code).toBe('unavailable');
    const everything = [err.message, JSON.stringify(err.details), ...lines].join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(everything).not.toContain('KEYSECRET1');
    expect(everything).not.toContain('TOKSECRET2');
  });

  it('refuses a stored URL that does not point at the space on the Chat API', async () => {
    const { sender, seen } = setup([posted], {
      'hook-A': 'https://evil.example/v1/spaces/A/messages?key=K',
    });
    await expect(sender.send('spaces/A', { text: 'x' })).rejects.toMatchObject({
      code: 'misconfigured',
    });
    expect(seen).toHaveLength(0);
  });

  it('forgets a webhook URL that Chat refuses, so a replaced one is read next time', async () => {
    const { sender, invalidated } = setup([{ status: 403 }]);
    await expect(sender.send('spaces/A', { text: 'x' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(invalidated).toEqual(['hook-A']);
  });
});
