import { PubSub, type Message, type Topic } from '@google-cloud/pubsub';
import { JWT } from 'google-auth-library';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { startChatApi, type ChatApiStandIn } from '../../local/standins/chat-api.js';
import { createServiceAccountKey, createSigningKey } from '../../local/standins/keys.js';
import { startOAuth, type OAuthStandIn } from '../../local/standins/oauth.js';
import { redirectTokenRequests } from '../../local/standins/redirect.js';
import {
  LIFECYCLE,
  startWorkspaceEvents,
  type WorkspaceEventsStandIn,
} from '../../local/standins/workspace-events.js';

const PROJECT = 'we-standin';
const CREATED = 'google.workspace.chat.message.v1.created';
const ALICE = { id: '310000000000000000001', email: 'alice@we-standin.test' };
const BOB = { id: '310000000000000000002', email: 'bob@we-standin.test' };
const scope = (s: string) => `https://www.googleapis.com/auth/${s}`;

let oauth: OAuthStandIn;
let chat: ChatApiStandIn;
let events: WorkspaceEventsStandIn;
let pubsub: PubSub;
let dwdKey: ReturnType<typeof createServiceAccountKey>;
const clock = manualClock('2025-03-01T09:00:00Z');
const topics = new Map<string, Topic>();

async function aliceToken(...scopes: string[]): Promise<string> {
  const client = new JWT({
    email: dwdKey.json.client_email,
    key: dwdKey.json.private_key,
    scopes: scopes.map(scope),
    subject: ALICE.email,
  });
  redirectTokenRequests(client, oauth.tokenUrl);
  return (await client.getAccessToken()).token ?? '';
}

/** The reply fields the tests read: an Operation, a Subscription or an error. */
interface Reply {
  name: string;
  done?: boolean;
  state?: string;
  suspensionReason?: string;
  response: { name: string; state: string; expireTime: string };
  error: { status: string; message: string };
}

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${events.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Reply };
}

let space: string;
let topic: string;
beforeAll(async () => {
  oauth = await startOAuth({ googleKey: createSigningKey(), users: [ALICE, BOB] });
  dwdKey = createServiceAccountKey('dwd@we-standin.iam.gserviceaccount.com', PROJECT);
  oauth.registerServiceAccount({ ...dwdKey, delegation: true });
  chat = await startChatApi({ oauthUrl: oauth.url, clock });
  pubsub = new PubSub({ projectId: PROJECT });
  events = await startWorkspaceEvents({
    chat,
    oauthUrl: oauth.url,
    clock,
    publish: async (name, message) => {
      const t = topics.get(name) ?? pubsub.topic(name);
      topics.set(name, t);
      await t.publishMessage({ data: message.data, attributes: message.attributes });
    },
  });
});

afterAll(async () => {
  await events.close();
  await chat.close();
  await oauth.close();
  await pubsub.close();
});

beforeEach(async () => {
  space = chat.addSpace({
    displayName: `watched ${Math.random()}`,
    members: [`users/${ALICE.id}`, `users/${BOB.id}`],
  }).name!;
  const [created] = await pubsub.createTopic(
    `events-${Date.now()}-${Math.floor(Math.random() * 1e6)}`,
  );
  topic = created.name;
});

const subscribe = async (token: string, extra: Record<string, unknown> = {}) =>
  call('POST', '/v1/subscriptions', token, {
    targetResource: `//chat.googleapis.com/${space}`,
    eventTypes: [CREATED, 'google.workspace.chat.membership.v1.created'],
    notificationEndpoint: { pubsubTopic: topic },
    payloadOptions: { includeResource: true },
    ...extra,
  });

describe('Workspace Events stand-in', () => {
  it('publishes a posted human message to the Pub/Sub emulator as a CloudEvent', async () => {
    const [pull] = await pubsub.topic(topic).createSubscription(`pull-${Date.now()}`);
    const created = await subscribe(await aliceToken('chat.messages.readonly', 'chat.memberships'));
    expect(created.body).toMatchObject({ done: true, response: { state: 'ACTIVE' } });
    const id = created.body.response.name.replace('subscriptions/', '');
    const operation = await call(
      'GET',
      `/v1/${created.body.name}`,
      await aliceToken('chat.messages.readonly', 'chat.memberships'),
    );
    expect(operation.body.response.name).toBe(created.body.response.name);

    const arrived = new Promise<Message>((resolve) => {
      pull.on('message', (m: Message) => {
        m.ack();
        if (m.attributes['ce-type'] === CREATED) resolve(m);
      });
    });
    const posted = chat.postHumanMessage(space, `users/${BOB.id}`, 'standup at ten');
    const message = await arrived;
    await pull.close();

    expect(message.attributes).toMatchObject({
      'ce-type': CREATED,
      'ce-source': `//workspaceevents.googleapis.com/subscriptions/${id}`,
      'ce-subject': `//chat.googleapis.com/${posted.name}`,
      'ce-specversion': '1.0',
      'ce-datacontenttype': 'application/json',
      'ce-time': posted.createTime,
    });
    const data = JSON.parse(message.data.toString()) as { message: { name: string; text: string } };
    expect(data.message).toMatchObject({ name: posted.name, text: 'standup at ten' });
  });

  it('refuses a second subscription for the same target and user, and missing scopes', async () => {
    const token = await aliceToken('chat.messages.readonly', 'chat.memberships');
    expect((await subscribe(token)).status).toBe(200);
    const again = await subscribe(token);
    expect(again).toMatchObject({ status: 409, body: { error: { status: 'ALREADY_EXISTS' } } });
    const narrow = await subscribe(await aliceToken('chat.spaces'));
    expect(narrow.status).toBe(403);
    expect(narrow.body.error.message).toContain(scope('chat.messages.readonly'));
  });

  it('sends only names without includeResource, and nothing while suspended', async () => {
    const token = await aliceToken('chat.messages.readonly', 'chat.memberships');
    const created = await subscribe(token, { payloadOptions: { includeResource: false } });
    const id = created.body.response.name.replace('subscriptions/', '');
    const mine = () => events.deliveries().filter((d) => d.attributes['ce-source']?.endsWith(id));

    const first = chat.postHumanMessage(space, `users/${BOB.id}`, 'secret plans');
    await events.flush();
    expect(mine().map((d) => d.data)).toEqual([{ message: { name: first.name } }]);

    events.suspend(id);
    chat.postHumanMessage(space, `users/${BOB.id}`, 'missed');
    await events.flush();
    expect(mine().map((d) => d.attributes['ce-type'])).toEqual([CREATED, LIFECYCLE.suspended]);

    expect((await call('POST', `/v1/subscriptions/${id}:reactivate`, token)).status).toBe(200);
    chat.postHumanMessage(space, `users/${BOB.id}`, 'back');
    await events.flush();
    expect(mine().at(-1)?.attributes['ce-type']).toBe(CREATED);
  });

  it('renews by ttl, reminds ahead of expiry, and expires with an event and a 404', async () => {
    const token = await aliceToken('chat.messages.readonly', 'chat.memberships');
    const created = await subscribe(token, { payloadOptions: { includeResource: false } });
    const id = created.body.response.name.replace('subscriptions/', '');
    const types = () =>
      events
        .deliveries()
        .filter((d) => d.attributes['ce-source']?.endsWith(id))
        .map((d) => d.attributes['ce-type']);

    const renewed = await call('PATCH', `/v1/subscriptions/${id}?updateMask=ttl`, token, {
      ttl: '86400s',
    });
    const dayLater = new Date(clock.now().getTime() + 86_400_000).toISOString();
    expect(renewed.body.response.expireTime).toBe(dayLater);

    clock.advance(12 * 3_600_000);
    events.sweep();
    await events.flush();
    expect(types()).toEqual([LIFECYCLE.expirationReminder]);
    clock.advance(11 * 3_600_000);
    events.sweep();
    clock.advance(3_600_000);
    events.sweep();
    await events.flush();
    expect(types()).toEqual([
      LIFECYCLE.expirationReminder,
      LIFECYCLE.expirationReminder,
      LIFECYCLE.expired,
    ]);
    expect((await call('GET', `/v1/subscriptions/${id}`, token)).status).toBe(404);
  });

  it('suspends a subscription whose topic does not exist', async () => {
    const token = await aliceToken('chat.messages.readonly', 'chat.memberships');
    const created = await subscribe(token);
    const id = created.body.response.name.replace('subscriptions/', '');
    await pubsub.topic(topic).delete();
    chat.postHumanMessage(space, `users/${BOB.id}`, 'into the void');
    await events.flush();
    const got = await call('GET', `/v1/subscriptions/${id}`, token);
    expect(got.body).toMatchObject({ state: 'SUSPENDED', suspensionReason: 'ENDPOINT_NOT_FOUND' });
  });
});
