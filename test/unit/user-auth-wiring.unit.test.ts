import { describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../shared/app/types.js';
import type { Interaction } from '../../shared/interaction/model.js';
import { replies } from '../../shared/interaction/reply.js';
import type { GateResult, UserAuthGate } from '../../shared/user-auth/gate.js';
import { incidentAsUserGate } from '../../shared/user-auth/wiring.js';

const base = {
  id: 'ix-1',
  format: 'classic',
  eventTime: '2026-03-01T10:00:00Z',
  space: { name: 'spaces/A', type: 'SPACE' },
  user: { name: 'users/1' },
} as const;

const command = (commandId: string): Interaction => ({ ...base, kind: 'slash-command', commandId });

function run(interaction: Interaction, answer: GateResult, transport: 'http' | 'pubsub' = 'http') {
  const asked: string[] = [];
  const gate: UserAuthGate = (request) => {
    asked.push(request.feature);
    return Promise.resolve(answer);
  };
  const context = { interaction, transport } as HandlerContext;
  let ran = false;
  const reply = incidentAsUserGate('3', { gate })(context, () => {
    ran = true;
    return Promise.resolve(replies.text('opening'));
  });
  return reply.then((r) => ({ reply: r, ran, asked }));
}

describe('/incident as the user', () => {
  const signIn: GateResult = {
    kind: 'sign-in',
    authorizationUrl: 'https://a.test/auth',
    missing: [],
  };

  it('asks for a sign-in before /incident runs without the grant', async () => {
    const { reply, ran, asked } = await run(command('3'), signIn);
    expect(ran).toBe(false);
    expect(asked).toEqual(['incident.open-as-user']);
    expect(reply).toEqual({
      kind: 'request-config',
      authorizationUrl: 'https://a.test/auth',
      resource: 'Spacelog',
    });
  });

  it('sends the link in a private message over Pub/Sub, where no prompt can be sent', async () => {
    const { reply } = await run(command('3'), signIn, 'pubsub');
    expect(reply.kind === 'message' && reply.message.privateTo).toBe('users/1');
  });

  it('lets /incident run with the grant, and leaves other commands alone', async () => {
    expect((await run(command('3'), { kind: 'ready' })).ran).toBe(true);
    const other = await run(command('1'), signIn);
    expect(other.ran).toBe(true);
    expect(other.asked).toEqual([]);
  });
});
