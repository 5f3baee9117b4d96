import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import type { SpacelogError } from '../../shared/errors.js';
import { AS_APP, asDelegated, type ResolvedAuth } from '../../shared/outbound/auth-table.js';
import { createChatClient } from '../../shared/outbound/chat-rest-client.js';
import type { TokenSource } from '../../shared/outbound/credentials.js';
import { createOutboundHttp } from '../../shared/outbound/http.js';
import { createWritePacer } from '../../shared/outbound/pacer.js';
import { requestIdFor } from '../../shared/outbound/request-id.js';
import type { RetryPolicy } from '../../shared/outbound/retry.js';
import {
  fakeRuntime,
  scriptedFetch,
  virtualTime,
  type Scripted,
  type SeenRequest,
} from '../support/outbound-fakes.js';

const policy: RetryPolicy = {
  maxAttempts: 6,
  attemptTimeoutMs: 1_000,
  deadlineMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 32_000,
};

/** A Chat API that numbers created messages and answers with a thread per first message. */
function chatAnswer(request: SeenRequest): Scripted {
  const url = new URL(request.url);
  if (request.method === 'POST' && url.pathname.endsWith('/messages')) {
    const body = request.body as { thread?: { name?: string } };
    const n = url.searchParams.get('requestId')?.slice(0, 8) ?? 'x';
    return {
      status: 200,
      body: {
        name: `spaces/A/messages/${n}`,
        thread: { name: body.thread?.name ?? 'spaces/A/threads/T1' },
      },
    };
  }
  return { status: 200, body: {} };
}

function setup(answer: (r: SeenRequest) => Scripted = chatAnswer, approved = false) {
  const time = virtualTime();
  const fake = scriptedFetch([], time.now, answer);
  const runtime = fakeRuntime(time, fake.fetch);
  const http = createOutboundHttp(
    runtime,
    policy,
    createWritePacer({ perSpacePerMinute: 60 }, runtime),
  );
  const asked: ResolvedAuth[] = [];
  const tokens: TokenSource = {
    accessToken: (auth) => (asked.push(auth), Promise.resolve(`tok-${auth.mode}`)),
  };
  const chat = createChatClient({
    baseUrl: 'http://127.0.0.1:1',
    http,
    tokens,
    appScopesApproved: approved,
  });
  return { chat, seen: fake.seen, asked, time };
}

describe('chat client', () => {
  it('creates a message with its requestId and the app token', async () => {
    const { chat, seen } = setup();
    await chat.createMessage({ space: 'spaces/A', message: { text: 'hi' }, requestId: 'r-1' });
    const url = new URL(seen[0]?.url ?? '');
    expect(url.pathname).toBe('/v1/spaces/A/messages');
    expect(url.searchParams.get('requestId')).toBe('r-1');
    expect(url.searchParams.has('messageReplyOption')).toBe(false);
    expect(seen[0]?.headers['authorization']).toBe('Bearer tok-app');
  });

  it('replies in a thread with a reply option, defaulting to fall back to a new thread', async () => {
    const { chat, seen } = setup();
    await chat.createMessage({
      space: 'spaces/A',
      message: { text: 'hi' },
      requestId: 'r-1',
      thread: { threadKey: 'incident-7' },
    });
    expect(new URL(seen[0]?.url ?? '').searchParams.get('messageReplyOption')).toBe(
      'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
    );
    expect(seen[0]?.body).toMatchObject({ thread: { threadKey: 'incident-7' } });
  });

  it('sends long text as several messages in the first one’s thread, each with a derived requestId', async () => {
    const { chat, seen } = setup();
    const posted = await chat.createMessage({
      space: 'spaces/A',
      message: { text: 'w '.repeat(40_000) },
      requestId: 'r-1',
    });
    expect(posted.messages).toHaveLength(3);
    const ids = seen.map((s) => new URL(s.url).searchParams.get('requestId'));
    expect(ids).toEqual(['r-1', requestIdFor('r-1', 'part-2'), requestIdFor('r-1', 'part-3')]);
    expect(seen[1]?.body).toMatchObject({ thread: { name: 'spaces/A/threads/T1' } });
    expect(seen.map((s) => Buffer.byteLength((s.body as { text: string }).text))).toSatisfy(
      (sizes: number[]) => sizes.every((n) => n <= 32_000),
    );
  });

  it('paces the parts of a split message as writes to the space', async () => {
    const { chat, seen } = setup();
    await chat.createMessage({
      space: 'spaces/A',
      message: { text: 'w '.repeat(40_000) },
      requestId: 'r',
    });
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
  });

  it('refuses a user-only method called as the app before sending anything', async () => {
    const { chat, seen } = setup();
    const err = await chat
      .setUpSpace({ space: { spaceType: 'SPACE', displayName: 'x' }, requestId: 'r' }, AS_APP)
      .catch((e: unknown) => e as SpacelogError);
    expect(err).toMatchObject({ code: 'forbidden' });
    expect(seen).toHaveLength(0);
  });

  it('sets up a space as a delegated user with its requestId in the body', async () => {
    const { chat, seen, asked } = setup();
    await chat.setUpSpace(
      { space: { spaceType: 'SPACE', displayName: 'Incident 7' }, requestId: 'r-9' },
      asDelegated('ops@example.com'),
    );
    expect(new URL(seen[0]?.url ?? '').pathname).toBe('/v1/spaces:setup');
    expect(seen[0]?.body).toMatchObject({ requestId: 'r-9' });
    expect(asked[0]).toMatchObject({ mode: 'delegated', subject: 'ops@example.com' });
  });

  it('adds the app itself with chat.memberships.app, and reports an existing member', async () => {
    const { chat, asked } = setup((r) =>
      r.method === 'POST'
        ? { status: 409, body: { error: { status: 'ALREADY_EXISTS' } } }
        : { status: 200 },
    );
    const added = await chat.createMember(
      { space: 'spaces/A', membership: { member: { name: 'users/app', type: 'BOT' } } },
      asDelegated('ops@example.com'),
    );
    expect(added).toEqual({ status: 'already-member' });
    expect(asked[0]?.scopes).toEqual(['https://www.googleapis.com/auth/chat.memberships.app']);
  });

  it('treats deleting a message that is already gone as done', async () => {
    const { chat } = setup(() => ({ status: 404, body: { error: { status: 'NOT_FOUND' } } }));
    expect(await chat.deleteMessage('spaces/A/messages/m.1')).toBe(false);
  });

  it('answers undefined when there is no direct message with a user', async () => {
    const { chat, seen } = setup(() => ({ status: 404 }));
    expect(await chat.findDirectMessage('users/42')).toBeUndefined();
    expect(new URL(seen[0]?.url ?? '').searchParams.get('name')).toBe('users/42');
  });

  it('refuses resource names that could point the request elsewhere', async () => {
    const { chat, seen } = setup();
    for (const name of ['spaces/..', 'spaces/A/../../x', 'spaces/A?x=1']) {
      await expect(chat.getSpace(name)).rejects.toMatchObject({ code: 'invalid-input' });
    }
    expect(seen).toHaveLength(0);
  });

  it('sends list parameters in the query', async () => {
    const { chat, seen } = setup(() => ({ status: 200, body: { messages: [] } }), true);
    await chat.listMessages({ space: 'spaces/A', pageSize: 10, filter: 'createTime > "x"' });
    const params = new URL(seen[0]?.url ?? '').searchParams;
    expect(params.get('pageSize')).toBe('10');
    expect(params.get('filter')).toBe('createTime > "x"');
  });
});

describe('chat types', () => {
  it('compile to JavaScript that never loads @googleapis/chat', () => {
    for (const file of ['chat-types.ts', 'chat-client.ts', 'chat-rest-client.ts', 'index.ts']) {
      const source = readFileSync(
        new URL(`../../shared/outbound/${file}`, import.meta.url),
        'utf8',
      );
      expect(source).toContain(file === 'chat-types.ts' ? '@googleapis/chat' : 'chat-types.js');
      const { outputText } = ts.transpileModule(source, {
        compilerOptions: {
          module: ts.ModuleKind.NodeNext,
          target: ts.ScriptTarget.ES2023,
          verbatimModuleSyntax: true,
        },
      });
      expect(outputText).not.toContain('@googleapis/chat');
      expect(outputText).not.toMatch(/chat-types\.js/);
    }
  });
});
