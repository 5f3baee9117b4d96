/**
 * The page plays Chat with the local stack's event builders and reply
 * readers; these tests hold them to Spacelog's own parser and renderer, so
 * what the page sends is what the functions read, in both formats, and what
 * the functions answer is what the page does.
 */
import { describe, expect, it } from 'vitest';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { renderReply } from '../../shared/interaction/render.js';
import { replies, type Reply } from '../../shared/interaction/reply.js';
import {
  addOnEvent,
  classicEvent,
  type EventContext,
  type EventFormat,
  type Occurrence,
} from '../../local/stack/interactions.js';
import { addOnOutcome, classicOutcome } from '../../local/stack/replies.js';

const context: EventContext = {
  space: { name: 'spaces/AAAAengineering', spaceType: 'SPACE', displayName: 'Engineering' },
  user: { name: 'users/110000000000000000001', displayName: 'Ada Lovelace', type: 'HUMAN' },
  appUser: 'users/app',
  eventTime: '2026-03-01T09:00:00.000Z',
  configCompleteRedirectUrl: 'http://127.0.0.1:8080/config-complete',
  timeZone: 'Europe/Paris',
};

const message = {
  name: 'spaces/AAAAengineering/messages/abc.def',
  text: '/incident Checkout is down',
  thread: { name: 'spaces/AAAAengineering/threads/abc' },
  sender: context.user,
};

const build = (format: EventFormat, occurrence: Occurrence) =>
  format === 'classic' ? classicEvent(occurrence, context) : addOnEvent(occurrence, context, 'tok');

describe.each<EventFormat>(['classic', 'add-on'])('a %s event the page builds', (format) => {
  it('reads as a slash command with its id, name and redirect', () => {
    const command = { id: '3', name: '/incident' };
    const parsed = parseInteraction(build(format, { kind: 'message', message, command }));
    expect(parsed).toMatchObject({
      kind: 'slash-command',
      format,
      commandId: '3',
      commandName: '/incident',
      timeZone: 'Europe/Paris',
      configCompleteRedirectUrl: context.configCompleteRedirectUrl,
      space: { name: 'spaces/AAAAengineering' },
      user: { name: 'users/110000000000000000001' },
    });
  });

  it('reads as a mention when a message in a space has no command', () => {
    const plain = { ...message, text: 'hello' };
    expect(parseInteraction(build(format, { kind: 'message', message: plain })).kind).toBe(
      'mention',
    );
  });

  it('reads as being added and removed', () => {
    expect(parseInteraction(build(format, { kind: 'added' })).kind).toBe('added-to-space');
    expect(parseInteraction(build(format, { kind: 'removed' })).kind).toBe('removed-from-space');
  });

  it('reads as a card click with the action and its parameters', () => {
    const action = {
      function: format === 'classic' ? 'digest.set' : 'http://127.0.0.1:1/chatEvents',
      parameters: { actionName: 'digest.set', enabled: 'false' },
    };
    const parsed = parseInteraction(build(format, { kind: 'card-click', message, action }));
    expect(parsed).toMatchObject({
      kind: 'card-click',
      action: 'digest.set',
      parameters: { enabled: 'false' },
    });
  });
});

describe('what the page does with an answer', () => {
  const card = [{ cardId: 'c', card: { header: { title: 'T' }, sections: [] } }];
  const cases: [string, Reply, string][] = [
    ['a new message', replies.cards(card, { text: 'hi' }), 'create'],
    ['an update of the clicked message', replies.updateMessage({ text: 'changed' }), 'update'],
    ['a sign-in prompt', replies.requestConfig('http://127.0.0.1:1/auth', 'Spacelog'), 'sign-in'],
    ['a dialog', replies.openDialog({ header: { title: 'D' }, sections: [] }), 'dialog'],
    ['a closed dialog', replies.closeDialog('Saved'), 'close-dialog'],
    ['nothing', replies.nothing(), 'none'],
  ];

  it.each(cases)('classic: %s', (_name, reply, kind) => {
    expect(classicOutcome(renderReply(reply, 'classic') as Record<string, unknown>).kind).toBe(
      kind,
    );
  });

  it.each(cases)('add-on: %s', (_name, reply, kind) => {
    expect(addOnOutcome(renderReply(reply, 'add-on') as Record<string, unknown>).kind).toBe(kind);
  });

  it('keeps the text, the cards and who alone may see a message', () => {
    const reply = replies.cards(card, { text: 'hi', privateTo: 'users/1' });
    expect(classicOutcome(renderReply(reply, 'classic') as Record<string, unknown>)).toEqual({
      kind: 'create',
      content: { text: 'hi', cardsV2: card, privateMessageViewer: 'users/1' },
    });
  });

  it('calls an answer Chat does not know unreadable', () => {
    expect(classicOutcome({ actionResponse: { type: 'SOMETHING_NEW' } }).kind).toBe('unreadable');
    expect(addOnOutcome({ surprise: true }).kind).toBe('unreadable');
  });
});
