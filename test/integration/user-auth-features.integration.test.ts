import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChatApi, type ChatApiStandIn } from '../../local/standins/chat-api.js';
import type { SlashCommandInteraction } from '../../shared/interaction/model.js';
import type { Reply } from '../../shared/interaction/reply.js';
import { silentLogger } from '../../shared/log.js';
import { createOutbound } from '../../shared/outbound/index.js';
import { createSecretReader } from '../../shared/secrets.js';
import { createRuntimeAuth } from '../../shared/google-auth.js';
import {
  acknowledgeIncident,
  myspacesHandler,
  signoutHandler,
  type UserFeatureDeps,
} from '../../shared/user-auth/index.js';
import {
  ALICE,
  CHAT_REDIRECT,
  chatUser,
  consent,
  startWorld,
  visit,
  type World,
} from './user-auth-harness.js';

let world: World;
let chat: ChatApiStandIn;
let deps: UserFeatureDeps;

const SPACE = 'spaces/incidentroom';

beforeAll(async () => {
  world = await startWorld('user-auth-features');
  chat = await startChatApi({ oauthUrl: world.oauth.url });
  chat.addUser({ name: chatUser(ALICE), displayName: 'Alice', email: ALICE.email });
  chat.addSpace({ name: SPACE, displayName: 'Incident room', members: [chatUser(ALICE)] });
  chat.addSpace({ displayName: 'Team lunch', members: [chatUser(ALICE)] });
  chat.addSpace({ displayName: 'Not Alice’s', members: [] });
  const outbound = createOutbound(
    { ...world.config, chatApiUrl: chat.url },
    {
      secrets: createSecretReader(world.config, createRuntimeAuth(world.config)),
      logger: silentLogger,
      userTokens: world.auth.userTokens,
    },
  );
  deps = {
    gate: world.auth.gate,
    chat: outbound.chat,
    signOut: (userId, interactionId) => world.auth.signOut(userId, interactionId),
  };
});
afterAll(async () => {
  await chat.close();
  await world.close();
});

function slashCommand(id: string): SlashCommandInteraction {
  return {
    kind: 'slash-command',
    id,
    format: 'classic',
    eventTime: new Date().toISOString(),
    space: { name: SPACE, type: 'SPACE' },
    user: { name: chatUser(ALICE), email: ALICE.email },
    commandId: world.config.commandIdMyspaces,
    configCompleteRedirectUrl: CHAT_REDIRECT,
  };
}

const contextOf = (interaction: SlashCommandInteraction) =>
  ({ interaction, transport: 'http' }) as Parameters<ReturnType<typeof myspacesHandler>>[0];

async function signInFrom(reply: Reply): Promise<void> {
  if (reply.kind !== 'request-config')
    throw new Error(`expected a sign-in prompt, got ${reply.kind}`);
  expect((await visit(await consent(reply.authorizationUrl, { as: ALICE }))).status).toBe(302);
}

describe('features that act as the user', () => {
  it('/myspaces asks to sign in, then lists the user’s spaces as the user', async () => {
    const handler = myspacesHandler(deps);
    const prompt = await handler(contextOf(slashCommand('i-1')));
    await signInFrom(prompt);

    const reply = await handler(contextOf(slashCommand('i-1')));
    expect(reply.kind).toBe('message');
    const text = reply.kind === 'message' ? (reply.message.text ?? '') : '';
    expect(text).toContain('Incident room');
    expect(text).toContain('Team lunch');
    expect(text).not.toContain('Not Alice’s');
    expect(reply.kind === 'message' && reply.message.privateTo).toBe(chatUser(ALICE));
    const listed = chat.calls().filter((c) => c.method === 'spaces.list');
    expect(listed.map((c) => [c.principal, c.user, c.status])).toEqual([
      ['user', chatUser(ALICE), 200],
    ]);
  });

  it('acknowledges an incident alert with a reaction as the user, asking only for that scope', async () => {
    const alert = chat.postHumanMessage(SPACE, chatUser(ALICE), 'alert');
    const context = contextOf(slashCommand('i-2'));
    const first = await acknowledgeIncident(deps, context, { message: alert.name ?? '' });
    expect(first.kind).toBe('needs-user');
    if (first.reply.kind !== 'request-config') throw new Error('expected a prompt');
    const scope = new URL(first.reply.authorizationUrl).searchParams.get('scope');
    expect(scope?.split(' ').sort()).toEqual(
      ['https://www.googleapis.com/auth/chat.messages.reactions.create', 'openid'].sort(),
    );
    await signInFrom(first.reply);

    const done = await acknowledgeIncident(deps, context, { message: alert.name ?? '' });
    expect(done.kind).toBe('acknowledged');
    const reacted = chat.calls().filter((c) => c.method === 'reactions.create' && c.status === 200);
    expect(reacted.map((c) => [c.principal, c.user])).toEqual([['user', chatUser(ALICE)]]);
  });

  it('/signout ends the grant, and /myspaces then asks to sign in again', async () => {
    const reply = await signoutHandler(deps)(contextOf(slashCommand('i-3')));
    expect(reply.kind === 'message' && reply.message.text).toContain('Signed out');
    const again = await myspacesHandler(deps)(contextOf(slashCommand('i-4')));
    expect(again.kind).toBe('request-config');
  });
});
