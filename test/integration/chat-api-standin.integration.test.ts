import type { chat_v1 } from '@googleapis/chat';
import { JWT } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import {
  CHAT_METHOD_SCOPES,
  startChatApi,
  type ChatApiStandIn,
  type ChatMethod,
} from '../../local/standins/chat-api.js';
import {
  createServiceAccountKey,
  createSigningKey,
  type ServiceAccountKey,
} from '../../local/standins/keys.js';
import { startOAuth, type OAuthStandIn } from '../../local/standins/oauth.js';
import { redirectTokenRequests } from '../../local/standins/redirect.js';

const scope = (s: string) => `https://www.googleapis.com/auth/${s}`;
const ALICE = { id: '210000000000000000001', email: 'alice@chat-standin.test' };
const BOB = { id: '210000000000000000002', email: 'bob@chat-standin.test' };
const ALICE_USER = `users/${ALICE.id}`;
const BOB_USER = `users/${BOB.id}`;

let oauth: OAuthStandIn;
let chat: ChatApiStandIn;
let appKey: ServiceAccountKey;
let dwdKey: ServiceAccountKey;
const clock = manualClock('2025-03-01T09:00:00Z');
const clients = new Map<string, JWT>();

/** A real access token from the OAuth stand-in: app auth, or delegated as `subject`. */
async function token(scopes: string[], subject?: string): Promise<string> {
  const id = `${subject ?? 'app'} ${scopes.join(' ')}`;
  let client = clients.get(id);
  if (!client) {
    const key = subject ? dwdKey : appKey;
    client = new JWT({
      email: key.json.client_email,
      key: key.json.private_key,
      scopes: scopes.map(scope),
      ...(subject ? { subject } : {}),
    });
    redirectTokenRequests(client, oauth.tokenUrl);
    clients.set(id, client);
  }
  return (await client.getAccessToken()).token ?? '';
}
const appToken = (...scopes: string[]) => token(scopes.length ? scopes : ['chat.bot']);
const aliceToken = (...scopes: string[]) => token(scopes, ALICE.email);

/** The reply fields the tests read: a message, a list, a space, or an error. */
type Body = chat_v1.Schema$Message &
  chat_v1.Schema$ListMessagesResponse & {
    error?: { code: number; status: string; message: string };
    user?: chat_v1.Schema$User;
    emoji?: chat_v1.Schema$Emoji;
  };

interface Answer {
  status: number;
  body: Body;
  headers: Headers;
}

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; query?: Record<string, string>; base?: string } = {},
): Promise<Answer> {
  const url = new URL(`${options.base ?? chat.url}${path}`);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const res = await fetch(url, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'], headers: res.headers };
}

const post = async (space: string, body: unknown, query: Record<string, string> = {}, t?: string) =>
  call('POST', `/v1/${space}/messages`, { token: t ?? (await appToken()), body, query });

beforeAll(async () => {
  oauth = await startOAuth({ googleKey: createSigningKey(), users: [ALICE, BOB] });
  appKey = createServiceAccountKey('app@chat-standin.iam.gserviceaccount.com', 'chat-standin');
  dwdKey = createServiceAccountKey('dwd@chat-standin.iam.gserviceaccount.com', 'chat-standin');
  oauth.registerServiceAccount(appKey);
  oauth.registerServiceAccount({ ...dwdKey, delegation: true });
  chat = await startChatApi({ oauthUrl: oauth.url, clock });
  chat.addUser({ name: ALICE_USER, displayName: 'Alice', email: ALICE.email });
  chat.addUser({ name: BOB_USER, displayName: 'Bob', email: BOB.email });
});

afterAll(async () => {
  await chat.close();
  await oauth.close();
});

let space: string;
beforeEach(() => {
  chat.clearFaults();
  space = chat.addSpace({
    displayName: `room ${Math.random()}`,
    members: [ALICE_USER, BOB_USER],
  }).name!;
});

describe('Chat API stand-in: messages.create', () => {
  it('returns the first message for a repeated requestId and records only one', async () => {
    const first = await post(space, { text: 'hello' }, { requestId: 'req-1' });
    const again = await post(space, { text: 'hello, again' }, { requestId: 'req-1' });
    expect(first.status).toBe(200);
    expect(again.body.name).toBe(first.body.name);
    expect(chat.messages(space)).toHaveLength(1);
    expect(first.body).toMatchObject({ sender: { name: 'users/app', type: 'BOT' }, text: 'hello' });
  });

  it('refuses a token without a scope that allows the method, naming the scopes (403)', async () => {
    const noBot = await post(space, { text: 'x' }, {}, await appToken('chat.app.spaces'));
    expect(noBot.status).toBe(403);
    expect(noBot.body.error?.status).toBe('PERMISSION_DENIED');
    expect(noBot.body.error?.message).toContain(scope('chat.bot'));

    const readOnly = await post(
      space,
      { text: 'x' },
      {},
      await aliceToken('chat.messages.readonly'),
    );
    expect(readOnly.status).toBe(403);
    expect(readOnly.body.error?.message).toContain(scope('chat.messages.create'));
    expect(chat.messages(space)).toHaveLength(0);
  });

  it('refuses a missing or unknown token with 401 and never records tokens', async () => {
    expect((await call('POST', `/v1/${space}/messages`, { body: { text: 'x' } })).status).toBe(401);
    const bogus = await call('GET', `/v1/${space}`, { token: 'ya29.not-a-token' });
    expect(bogus).toMatchObject({ status: 401, body: { error: { status: 'UNAUTHENTICATED' } } });
    const real = await appToken();
    await call('GET', `/v1/${space}`, { token: real });
    expect(JSON.stringify(chat.calls())).not.toContain(real);
  });

  it('posts as the user under delegation, and as the app only where the app is a member', async () => {
    const byAlice = await post(space, { text: 'hi' }, {}, await aliceToken('chat.messages.create'));
    expect(byAlice.body.sender).toEqual({ name: ALICE_USER, type: 'HUMAN', displayName: 'Alice' });
    expect(chat.calls().at(-1)).toMatchObject({ principal: 'user', user: ALICE_USER });

    chat.setAppMember(space, false);
    expect((await post(space, { text: 'app' })).status).toBe(404);
  });

  it('refuses more than 32,000 bytes of text and accepts exactly 32,000', async () => {
    const tooBig = await post(space, { text: 'é'.repeat(16_001) });
    expect(tooBig).toMatchObject({ status: 400, body: { error: { status: 'INVALID_ARGUMENT' } } });
    expect((await post(space, { text: 'é'.repeat(16_000) })).status).toBe(200);
  });

  it('checks custom messageIds and finds messages by them', async () => {
    expect((await post(space, { text: 'x' }, { messageId: 'custom-1' })).status).toBe(400);
    expect((await post(space, { text: 'x' }, { messageId: 'client-digest-1' })).status).toBe(200);
    expect((await post(space, { text: 'x' }, { messageId: 'client-digest-1' })).status).toBe(409);
    const got = await call('GET', `/v1/${space}/messages/client-digest-1`, {
      token: await appToken(),
    });
    expect(got.body.clientAssignedMessageId).toBe('client-digest-1');
  });
});

describe('Chat API stand-in: threads', () => {
  const FALLBACK = { messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' };
  const OR_FAIL = { messageReplyOption: 'REPLY_MESSAGE_OR_FAIL' };

  it('follows messageReplyOption: fallback, or-fail, and ignoring the thread by default', async () => {
    const first = await post(space, { text: '1', thread: { threadKey: 'incident-7' } }, FALLBACK);
    const second = await post(space, { text: '2', thread: { threadKey: 'incident-7' } }, FALLBACK);
    expect(first.body.threadReply).toBe(false);
    expect(second.body).toMatchObject({
      thread: { name: first.body.thread?.name },
      threadReply: true,
    });

    const byName = await post(
      space,
      { text: '3', thread: { name: first.body.thread?.name } },
      OR_FAIL,
    );
    expect(byName.body.thread?.name).toBe(first.body.thread?.name);
    const unknown = await post(space, { text: '4', thread: { threadKey: 'nope' } }, OR_FAIL);
    expect(unknown.status).toBe(404);

    const ignored = await post(space, { text: '5', thread: { name: first.body.thread?.name } });
    expect(ignored.body.thread?.name).not.toBe(first.body.thread?.name);
    const gone = `${space}/threads/doesnotexist`;
    const fallback = await post(space, { text: '6', thread: { name: gone } }, FALLBACK);
    expect(fallback.body.thread?.name).not.toBe(gone);
    expect(chat.messages(space)).toHaveLength(5);
  });

  it('threads incoming-webhook posts by threadKey without a bearer token', async () => {
    const webhook = new URL(chat.registerWebhook(space));
    const send = (text: string, extra: Record<string, string> = {}) =>
      call('POST', webhook.pathname, {
        base: webhook.origin,
        body: { text },
        query: { ...Object.fromEntries(webhook.searchParams), threadKey: 'daily', ...extra },
      });
    const first = await send('one', FALLBACK);
    const second = await send('two', FALLBACK);
    expect(first.status).toBe(200);
    expect(second.body.thread?.name).toBe(first.body.thread?.name);
    expect(first.body).not.toHaveProperty('sender');
    expect(Object.keys(first.body).sort()).toEqual(['name', 'text', 'thread']);

    expect((await send('bad', { ...FALLBACK, token: 'wrong' })).status).toBe(401);
    expect(chat.messages(space).map((m) => m.sender?.type)).toEqual(['BOT', 'BOT']);
    const recorded = JSON.stringify(chat.calls());
    expect(recorded).not.toContain(webhook.searchParams.get('token'));
    expect(recorded).toContain('"principal":"webhook"');
  });
});

describe('Chat API stand-in: quotas and faults', () => {
  it('answers 429 with Retry-After past the per-space write quota, until the minute passes', async () => {
    const limitedClock = manualClock('2025-03-01T09:00:00Z');
    const limited = await startChatApi({
      oauthUrl: oauth.url,
      clock: limitedClock,
      limits: { perSpaceWritesPerMinute: 3 },
    });
    try {
      const s = limited.addSpace({ displayName: 'limited' }).name!;
      const other = limited.addSpace({ displayName: 'other' }).name!;
      const t = await appToken();
      const send = (sp: string) =>
        call('POST', `/v1/${sp}/messages`, { base: limited.url, token: t, body: { text: 'x' } });
      for (let i = 0; i < 3; i++) expect((await send(s)).status).toBe(200);
      limitedClock.advance(20_000);
      const refused = await send(s);
      expect(refused.status).toBe(429);
      expect(refused.body.error?.status).toBe('RESOURCE_EXHAUSTED');
      expect(Number(refused.headers.get('retry-after'))).toBe(40);
      expect((await send(other)).status).toBe(200);
      expect(limited.messages(s)).toHaveLength(3);

      limitedClock.advance(40_000);
      expect((await send(s)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('an injected 503 changes nothing, so the retry is the only message', async () => {
    chat.inject({ method: 'messages.create', status: 503, count: 1, retryAfterSeconds: 2 });
    const failed = await post(space, { text: 'x' }, { requestId: 'r-503' });
    expect(failed.status).toBe(503);
    expect(failed.headers.get('retry-after')).toBe('2');
    expect(chat.messages(space)).toHaveLength(0);
    expect((await post(space, { text: 'x' }, { requestId: 'r-503' })).status).toBe(200);
    expect(chat.messages(space)).toHaveLength(1);
  });

  it('a failure after the write, retried with the same requestId, still gives one message', async () => {
    chat.inject({ method: 'messages.create', status: 500, count: 1, afterApply: true });
    expect((await post(space, { text: 'x' }, { requestId: 'r-lost' })).status).toBe(500);
    expect(chat.messages(space)).toHaveLength(1);
    const retry = await post(space, { text: 'x' }, { requestId: 'r-lost' });
    expect(retry.body.name).toBe(chat.messages(space)[0]?.name);
    expect(chat.messages(space)).toHaveLength(1);
  });
});

describe('Chat API stand-in: spaces and members', () => {
  it('creates a space under app auth only for customers/my_customer, idempotently', async () => {
    const t = await appToken('chat.app.spaces.create');
    const body = { displayName: `Incident ${Math.random()}`, spaceType: 'SPACE' };
    const without = await call('POST', '/v1/spaces', { token: t, body });
    expect(without.status).toBe(400);
    const created = await call('POST', '/v1/spaces', {
      token: t,
      body: { ...body, customer: 'customers/my_customer' },
      query: { requestId: 'incident-42' },
    });
    expect(created.status).toBe(200);
    const again = await call('POST', '/v1/spaces', {
      token: t,
      body: { ...body, customer: 'customers/my_customer' },
      query: { requestId: 'incident-42' },
    });
    expect(again.body.name).toBe(created.body.name);
    expect(chat.members(created.body.name as string).map((m) => m.member?.name)).toEqual([
      'users/app',
    ]);
    const chatBotOnly = await call('POST', '/v1/spaces', { token: await appToken(), body });
    expect(chatBotOnly.status).toBe(403);
  });

  it('refuses spaces.setup under app auth and sets up a space with members as a user', async () => {
    const body = {
      space: { spaceType: 'SPACE', displayName: `Setup ${Math.random()}` },
      memberships: [{ member: { name: BOB_USER, type: 'HUMAN' } }],
    };
    const asApp = await call('POST', '/v1/spaces:setup', { token: await appToken(), body });
    expect(asApp.status).toBe(403);
    expect(asApp.body.error?.message).toContain(scope('chat.spaces.create'));

    const asAlice = await call('POST', '/v1/spaces:setup', {
      token: await aliceToken('chat.spaces.create'),
      body,
    });
    expect(asAlice.status).toBe(200);
    const members = chat.members(asAlice.body.name as string).map((m) => m.member?.name);
    expect(members).toEqual([ALICE_USER, BOB_USER]);
  });

  it('adds the app with chat.memberships.app and refuses a second membership (409)', async () => {
    chat.setAppMember(space, false);
    const t = await aliceToken('chat.memberships.app');
    const body = { member: { name: 'users/app', type: 'BOT' } };
    expect((await call('POST', `/v1/${space}/members`, { token: t, body })).status).toBe(200);
    const again = await call('POST', `/v1/${space}/members`, { token: t, body });
    expect(again).toMatchObject({ status: 409, body: { error: { status: 'ALREADY_EXISTS' } } });
    const human = { member: { name: 'users/carol@chat-standin.test', type: 'HUMAN' } };
    expect((await call('POST', `/v1/${space}/members`, { token: t, body: human })).status).toBe(
      403,
    );
  });

  it('refuses app auth for every method whose table entry has no app scope', async () => {
    const userOnly = (Object.keys(CHAT_METHOD_SCOPES) as ChatMethod[]).filter(
      (m) => CHAT_METHOD_SCOPES[m].app.length === 0,
    );
    expect(userOnly.sort()).toEqual(['reactions.create', 'spaces.setup']);
    const message = (await post(space, { text: 'react to me' })).body.name as string;
    const asApp = await call('POST', `/v1/${message}/reactions`, {
      token: await appToken(),
      body: { emoji: { unicode: '👍' } },
    });
    expect(asApp.status).toBe(403);
    const asAlice = await call('POST', `/v1/${message}/reactions`, {
      token: await aliceToken('chat.messages.reactions.create'),
      body: { emoji: { unicode: '👍' } },
    });
    expect(asAlice.body).toMatchObject({ user: { name: ALICE_USER }, emoji: { unicode: '👍' } });
  });
});

describe('Chat API stand-in: reading messages', () => {
  it('lists by createTime filter in pages, in either order', async () => {
    const times: string[] = [];
    for (let i = 1; i <= 5; i++) {
      clock.advance(1000);
      times.push(chat.postHumanMessage(space, ALICE_USER, `m${i}`).createTime!);
    }
    const t = await appToken('chat.app.messages.readonly');
    const list = (query: Record<string, string>) =>
      call('GET', `/v1/${space}/messages`, { token: t, query });
    const filter = `createTime > "${times[1]}"`;
    const page1 = await list({ filter, pageSize: '2' });
    expect(page1.body.messages?.map((m) => m.text)).toEqual(['m3', 'm4']);
    const page2 = await list({ filter, pageSize: '2', pageToken: page1.body.nextPageToken ?? '' });
    expect(page2.body.messages?.map((m) => m.text)).toEqual(['m5']);
    expect(page2.body).not.toHaveProperty('nextPageToken');

    const inclusive = await list({
      filter: `createTime >= "${times[3]}" AND createTime < "${times[4]}"`,
    });
    expect(inclusive.body.messages?.map((m) => m.text)).toEqual(['m4']);
    const newest = await list({ orderBy: 'createTime DESC', pageSize: '1' });
    expect(newest.body.messages?.[0]?.text).toBe('m5');
    const mixed = await list({
      filter: 'createTime > "2020-01-01T00:00:00Z"',
      pageToken: page1.body.nextPageToken ?? '',
    });
    expect(mixed.status).toBe(400);
    expect((await list({ filter: 'text = "x"' })).status).toBe(400);
    expect((await call('GET', `/v1/${space}/messages`, { token: await appToken() })).status).toBe(
      403,
    );
  });

  it('lets the app update and delete only its own messages', async () => {
    const human = chat.postHumanMessage(space, BOB_USER, 'from bob');
    const own = (await post(space, { text: 'from app' })).body.name as string;
    const t = await appToken();
    const patch = (name: string) =>
      call('PATCH', `/v1/${name}`, {
        token: t,
        body: { text: 'edited' },
        query: { updateMask: 'text' },
      });
    expect((await patch(human.name!)).status).toBe(403);
    expect((await patch(own)).body).toMatchObject({ text: 'edited' });
    expect((await call('DELETE', `/v1/${human.name!}`, { token: t })).status).toBe(403);
    expect((await call('DELETE', `/v1/${own}`, { token: t })).status).toBe(200);
    expect((await call('GET', `/v1/${own}`, { token: t })).status).toBe(404);
    expect(chat.messages(space).find((m) => m.name === own)).toHaveProperty('deleteTime');
  });

  it('serves its state and a live event stream to a browser page', async () => {
    const controller = new AbortController();
    const res = await fetch(`${chat.url}/_admin/stream`, { signal: controller.signal });
    const reader = res.body!.getReader();
    chat.postHumanMessage(space, ALICE_USER, 'live');
    let seen = '';
    while (!seen.includes('"text":"live"'))
      seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect(seen).toContain('event: message');

    const state = (await (await fetch(`${chat.url}/_admin/state`)).json()) as {
      spaces: { name: string; messages: { text?: string }[] }[];
    };
    expect(state.spaces.find((s) => s.name === space)?.messages.map((m) => m.text)).toEqual([
      'live',
    ]);
  });
});
