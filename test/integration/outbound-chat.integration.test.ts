import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestIdFor } from '../../shared/outbound/index.js';
import {
  ALICE,
  startOutboundWorld,
  type Instance,
  type OutboundWorld,
} from './outbound-harness.js';

let world: OutboundWorld;
let app: Instance;

beforeAll(async () => {
  world = await startOutboundWorld('outbound-chat', { CHAT_API_TIMEOUT_MS: '500' });
  app = world.instance();
});

afterAll(async () => {
  await world.close();
});

const fromApp = (space: string) =>
  world.chat.messages(space).filter((m) => m.sender?.name === world.chat.appUser);
const createCalls = (space: string) =>
  world.chat.calls().filter((c) => c.method === 'messages.create' && c.space === space);

describe('Chat client against the Chat API stand-in', () => {
  it('ends a run of 429 and 5xx answers with exactly one message, a 500 after the write included', async () => {
    const space = world.space();
    world.chat.inject({ method: 'messages.create', status: 429, count: 1, retryAfterSeconds: 1 });
    world.chat.inject({ method: 'messages.create', status: 503, count: 1 });
    world.chat.inject({ method: 'messages.create', status: 500, count: 1, afterApply: true });
    const requestId = requestIdFor('interaction:run-of-failures', 'reply');

    const posted = await app.chat.createMessage({
      space,
      message: { text: 'deploy done' },
      requestId,
    });

    expect(fromApp(space)).toHaveLength(1);
    expect(fromApp(space)[0]?.name).toBe(posted.message.name);
    expect(createCalls(space).map((c) => c.status)).toEqual([429, 503, 500, 200]);
    expect(new Set(createCalls(space).map((c) => c.requestId))).toEqual(new Set([requestId]));
  });

  it('gives back the first message when the same event is delivered again', async () => {
    const space = world.space();
    const input = {
      space,
      message: { text: 'hello' },
      requestId: requestIdFor('interaction:again', 'reply'),
    };
    const first = await app.chat.createMessage(input);
    const second = await world.instance().chat.createMessage(input);
    expect(second.message.name).toBe(first.message.name);
    expect(fromApp(space)).toHaveLength(1);
  });

  it('retries an attempt that timed out and was applied late, still one message', async () => {
    const space = world.space();
    world.chat.slow({ method: 'messages.create', delayMs: 1_500, count: 1 });
    await app.chat.createMessage({
      space,
      message: { text: 'slow' },
      requestId: requestIdFor('interaction:slow', 'reply'),
    });
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(createCalls(space)).toHaveLength(2);
    expect(fromApp(space)).toHaveLength(1);
  });

  it('does not retry a refused request, and says what was refused', async () => {
    const space = world.space();
    world.chat.inject({ method: 'messages.create', status: 400, count: 1 });
    await expect(
      app.chat.createMessage({
        space,
        message: { text: 'x' },
        requestId: requestIdFor('e', 'bad'),
      }),
    ).rejects.toMatchObject({ code: 'invalid-input', details: { status: 400, attempts: 1 } });
    expect(createCalls(space)).toHaveLength(1);
    expect(fromApp(space)).toHaveLength(0);
  });

  it('sends text over 32,000 bytes as several messages in one thread, none refused', async () => {
    const space = world.space();
    const text = 'Line of the incident timeline.\n'.repeat(2_500); // about 77 kB
    const posted = await app.chat.createMessage({
      space,
      message: { text },
      requestId: requestIdFor('digest:long', 'post'),
    });
    expect(posted.messages.length).toBe(3);
    const stored = fromApp(space);
    expect(stored.map((m) => m.text).join('')).toBe(text);
    expect(new Set(stored.map((m) => m.thread?.name)).size).toBe(1);
  });

  it('replies in an existing thread when asked', async () => {
    const space = world.space();
    const human = world.chat.postHumanMessage(space, `users/${ALICE.id}`, 'help?');
    const thread = human.thread?.name ?? '';
    const posted = await app.chat.createMessage({
      space,
      message: { text: 'on it' },
      requestId: requestIdFor('interaction:thread', 'reply'),
      thread: { name: thread },
    });
    expect(posted.message.thread?.name).toBe(thread);
  });

  it('reads, updates, lists members and deletes with app auth', async () => {
    const space = world.space();
    const { message } = await app.chat.createMessage({
      space,
      message: { text: 'v1' },
      requestId: requestIdFor('interaction:crud', 'reply'),
    });
    const name = message.name ?? '';
    const updated = await app.chat.updateMessage({
      name,
      message: { text: 'v2' },
      updateMask: ['text'],
    });
    expect(updated.text).toBe('v2');
    expect((await app.chat.getMessage(name)).text).toBe('v2');
    expect((await app.chat.getSpace(space)).name).toBe(space);
    const members = await app.chat.listMembers({ space });
    expect(members.memberships?.map((m) => m.member?.name)).toContain(`users/${ALICE.id}`);
    expect(await app.chat.deleteMessage(name)).toBe(true);
    expect(await app.chat.deleteMessage(name)).toBe(false);
  });
});
