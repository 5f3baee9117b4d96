import { describe, expect, it } from 'vitest';
import { SpacelogError } from '../../shared/errors.js';
import {
  AS_APP,
  asDelegated,
  asUser,
  CHAT_BOT_SCOPE,
  CHAT_METHOD_AUTH,
  resolveAuth,
  scopeUrl,
  type ChatMethod,
} from '../../shared/outbound/auth-table.js';

const methods = Object.keys(CHAT_METHOD_AUTH) as ChatMethod[];

function refusal(fn: () => unknown): SpacelogError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SpacelogError);
    return err as SpacelogError;
  }
  throw new Error('expected a refusal');
}

describe('resolveAuth', () => {
  it('gives the app chat.bot for a message it creates', () => {
    expect(resolveAuth('messages.create', AS_APP, false)).toEqual({
      mode: 'app',
      scopes: [CHAT_BOT_SCOPE],
    });
  });

  it('never asks for chat.bot on behalf of a delegated user, for any method', () => {
    for (const method of methods) {
      if (!CHAT_METHOD_AUTH[method].user) continue;
      const auth = resolveAuth(method, asDelegated('ops@example.com'), false);
      expect(auth).toMatchObject({ mode: 'delegated', subject: 'ops@example.com' });
      expect(auth.scopes).not.toContain(CHAT_BOT_SCOPE);
    }
  });

  it('uses administrator-approved scopes for the app only once approved', () => {
    const err = refusal(() => resolveAuth('spaces.create', AS_APP, false));
    expect(err.code).toBe('misconfigured');
    expect(err.message).toContain('CHAT_APP_SCOPES_APPROVED');
    expect(resolveAuth('spaces.create', AS_APP, true)).toEqual({
      mode: 'app-approved',
      scopes: [scopeUrl('chat.app.spaces.create')],
    });
  });

  it('refuses the app for user-only methods, saying a user is needed', () => {
    for (const method of ['spaces.setup', 'reactions.create', 'members.createApp'] as const) {
      const err = refusal(() => resolveAuth(method, AS_APP, true));
      expect(err.code).toBe('forbidden');
      expect(err.message).toContain('needs user credentials');
    }
  });

  it('gives a signed-in user the user scopes', () => {
    expect(resolveAuth('reactions.create', asUser('users/7'), false)).toEqual({
      mode: 'user',
      userId: 'users/7',
      scopes: [scopeUrl('chat.messages.reactions.create')],
    });
  });

  it('lets every method be called by some principal', () => {
    for (const method of methods) {
      const { app, appApproved, user } = CHAT_METHOD_AUTH[method];
      expect([app, appApproved, user].some((s) => s !== undefined && s.length > 0)).toBe(true);
    }
  });
});
