/**
 * Both event formats parse into one interaction model: every kind, the
 * common fields, deterministic ids, and refusals that name what is wrong
 * without repeating any of the payload.
 */
import { describe, expect, it } from 'vitest';
import type { SpacelogError } from '../../shared/errors.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import {
  addOn,
  addOnClick,
  addOnSlash,
  classic,
  classicClick,
  classicSlash,
  everyKind,
  IDS,
  message,
} from '../support/chat-interactions.js';

function refusalOf(body: unknown): { code: string; reason: unknown; message: string } {
  try {
    parseInteraction(body);
  } catch (err) {
    const e = err as SpacelogError;
    return { code: e.code, reason: e.details.reason, message: e.message };
  }
  throw new Error('parsed');
}

describe('parseInteraction', () => {
  it.each(everyKind().map((c) => [c.format, c.name, c] as const))(
    'parses a %s %s as its kind',
    (_format, _name, c) => {
      const interaction = parseInteraction(c.body);
      expect(interaction.kind).toBe(c.kind);
      expect(interaction.format).toBe(c.format);
      expect(interaction.id).toMatch(/^ix-[0-9a-f]{32}$/);
    },
  );

  it('reads the common fields the same way from both formats', () => {
    const fromClassic = parseInteraction(classic('MESSAGE', { message: message('@app hi') }));
    const fromAddOn = parseInteraction(addOn('messagePayload', { message: message('@app hi') }));
    for (const i of [fromClassic, fromAddOn]) {
      expect(i).toMatchObject({
        kind: 'mention',
        eventTime: '2026-03-01T09:00:00.000Z',
        space: { name: 'spaces/AAAA', type: 'SPACE', displayName: 'Ops' },
        user: { name: 'users/111', displayName: 'Ada', email: 'ada@example.com', type: 'HUMAN' },
        message: {
          name: 'spaces/AAAA/messages/M7',
          threadName: 'spaces/AAAA/threads/T1',
          text: '@app hi',
        },
        timeZone: 'Europe/Paris',
        locale: 'en',
      });
    }
  });

  it('reads a slash command id (an int64 sent as a string) and its argument text', () => {
    for (const body of [
      classicSlash(IDS.incident, ' DB down'),
      addOnSlash(IDS.incident, ' DB down'),
    ]) {
      const i = parseInteraction(body);
      expect(i).toMatchObject({
        kind: 'slash-command',
        commandId: '3',
        message: { argumentText: ' DB down' },
      });
    }
    const big = classicSlash('9007199254740993');
    expect(parseInteraction(big)).toMatchObject({ commandId: '9007199254740993' });
  });

  it('reads a card click the same way from both formats: action, parameters and form inputs', () => {
    const withInputs = (body: Record<string, unknown>, key: 'common' | 'commonEventObject') => {
      const common = body[key] as Record<string, unknown>;
      common.formInputs = {
        when: { stringInputs: { value: ['10:00'] } },
        day: { dateInput: { msSinceEpoch: '1772323200000' } },
        at: { timeInput: { hours: 7, minutes: 5 } },
      };
      return body;
    };
    const c = parseInteraction(
      withInputs(classicClick('digest.set', { enabled: 'true' }), 'common'),
    );
    const a = parseInteraction(
      withInputs(addOnClick('digest.set', { enabled: 'true' }), 'commonEventObject'),
    );
    for (const i of [c, a]) {
      expect(i).toMatchObject({
        kind: 'card-click',
        action: 'digest.set',
        parameters: { enabled: 'true' },
        formInputs: { when: ['10:00'], day: ['1772323200000'], at: ['07:05'] },
      });
      expect(i.kind === 'card-click' && 'actionName' in i.parameters).toBe(false);
    }
  });

  it('reads the config redirect URL of both formats', () => {
    const c = parseInteraction(
      classic('MESSAGE', {
        message: message('hi'),
        configCompleteRedirectUrl: 'https://chat.google.com/r/1',
      }),
    );
    const a = parseInteraction(
      addOn('messagePayload', {
        message: message('hi'),
        configCompleteRedirectUri: 'https://chat.google.com/r/2',
      }),
    );
    expect(c.configCompleteRedirectUrl).toBe('https://chat.google.com/r/1');
    expect(a.configCompleteRedirectUrl).toBe('https://chat.google.com/r/2');
  });

  it('gives the same delivery the same id, and different clicks different ids', () => {
    const once = parseInteraction(classicClick('digest.set', { enabled: 'false' }, 5));
    const again = parseInteraction(
      JSON.parse(JSON.stringify(classicClick('digest.set', { enabled: 'false' }, 5))),
    );
    const later = parseInteraction(classicClick('digest.set', { enabled: 'false' }, 6));
    const other = parseInteraction(classicClick('digest.set', { enabled: 'true' }, 5));
    expect(again.id).toBe(once.id);
    expect(new Set([once.id, later.id, other.id]).size).toBe(3);
  });

  it('tells apart the two requests of an add-on app added by a mention', () => {
    const added = parseInteraction(addOn('addedToSpacePayload', { interactionAdd: true }));
    const mention = parseInteraction(addOn('messagePayload', { message: message('@app hi') }));
    expect(added.id).not.toBe(mention.id);
  });

  it.each([
    ['a string', 'hello', 'not-an-object'],
    ['neither format', { hello: 'world' }, 'unknown-format'],
    [
      'no space',
      { ...classic('MESSAGE', { message: message('secret text') }), space: undefined },
      'missing-space',
    ],
    [
      'no user',
      { ...classic('MESSAGE', { message: message('secret text') }), user: undefined },
      'missing-user',
    ],
    [
      'no event time',
      { ...classic('MESSAGE', { message: message('secret text') }), eventTime: 'soon' },
      'missing-event-time',
    ],
    ['a message without a message', classic('MESSAGE'), 'missing-message'],
    [
      'an app command without an id',
      classic('APP_COMMAND', { appCommandMetadata: {} }),
      'missing-command-id',
    ],
    ['a click without an action', classic('CARD_CLICKED', { common: {} }), 'missing-action'],
    [
      'an add-on event without a user',
      {
        chat: {
          eventTime: '2026-03-01T09:00:00Z',
          messagePayload: { space: { name: 'spaces/A' } },
        },
      },
      'missing-user',
    ],
  ])('refuses %s with invalid-input naming the reason, not the content', (_name, body, reason) => {
    const refusal = refusalOf(body);
    expect(refusal).toMatchObject({ code: 'invalid-input', reason });
    expect(refusal.message).not.toContain('secret');
  });
});
