import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdFor } from '../../shared/outbound/index.js';
import { startOutboundWorld, type Instance, type OutboundWorld } from './outbound-harness.js';

let world: OutboundWorld;
let app: Instance;

beforeAll(async () => {
  world = await startOutboundWorld('outbound-webhooks');
  app = world.instance();
});

afterAll(async () => {
  await world.close();
});

/** A space with an incoming webhook whose URL is stored as its secret. */
function spaceWithWebhook(): { space: string; url: string } {
  const space = world.space();
  const url = world.chat.registerWebhook(space);
  world.secretManager.addVersion(
    `${app.config.webhookSecretPrefix}${space.slice('spaces/'.length)}`,
    url,
  );
  return { space, url };
}

const byWebhook = (space: string) =>
  world.chat.messages(space).filter((m) => m.sender?.name?.startsWith('users/webhook-'));

describe('incoming webhooks', () => {
  it('delivers a message to its space', async () => {
    const { space } = spaceWithWebhook();
    const posted = await app.webhooks.send(space, { text: 'build green' });
    const stored = byWebhook(space);
    expect(stored.map((m) => m.text)).toEqual(['build green']);
    expect(posted.name).toBe(stored[0]?.name);
  });

  it('threads messages that share a thread key, and only those', async () => {
    const { space } = spaceWithWebhook();
    const a = await app.webhooks.send(space, { text: 'deploy started', threadKey: 'deploy-7' });
    const b = await app.webhooks.send(space, { text: 'deploy done', threadKey: 'deploy-7' });
    const c = await app.webhooks.send(space, { text: 'unrelated' });
    expect(a.thread).toBeDefined();
    expect(b.thread).toBe(a.thread);
    expect(c.thread).not.toBe(a.thread);
    expect(byWebhook(space).filter((m) => m.thread?.name === a.thread)).toHaveLength(2);
  });

  it('retries a failed post without doubling it', async () => {
    const { space } = spaceWithWebhook();
    world.chat.inject({ method: 'messages.create', status: 503, count: 1, afterApply: true });
    await app.webhooks.send(space, {
      cardsV2: [
        { cardId: 'c', card: { sections: [{ widgets: [{ textParagraph: { text: 'ok' } }] }] } },
      ],
      requestId: requestIdFor('alert:9', 'webhook'),
    });
    expect(byWebhook(space)).toHaveLength(1);
  });

  it('keeps the webhook URL out of the error when Chat refuses it', async () => {
    const { space, url } = spaceWithWebhook();
    const key = new URL(url).searchParams.get('key') ?? '';
    world.chat.registerWebhook(space); // replaces the webhook: the stored URL is now stale
    const err = (await app.webhooks.send(space, { text: 'x' }).catch((e: unknown) => e)) as Error;
    expect(err).toMatchObject({ code: 'unauthenticated' });
    expect(
      JSON.stringify({ m: err.message, d: (err as { details?: unknown }).details }),
    ).not.toContain(key);
  });
});
