/**
 * Every reply renders into the format its interaction came in: a classic
 * Message with `actionResponse`, or the add-on actions; add-on buttons name
 * the endpoint URL as their function and keep the action as a parameter.
 */
import { describe, expect, it } from 'vitest';
import {
  actionButton,
  buttonList,
  card,
  decoratedText,
  divider,
  image,
  linkButton,
  section,
  selectionInput,
  textInput,
  textParagraph,
} from '../../shared/interaction/cards.js';
import { renderReply } from '../../shared/interaction/render.js';
import { privatelyTo, replies, type Reply } from '../../shared/interaction/reply.js';

const digest = card('digest', {
  header: { title: 'Digest' },
  sections: [
    section([
      decoratedText({
        topLabel: 'Digest',
        text: 'On',
        button: actionButton('Turn off', { name: 'digest.set', parameters: { enabled: 'false' } }),
      }),
      buttonList([linkButton('Docs', 'https://example.test/docs')]),
      selectionInput({
        name: 'when',
        label: 'When',
        type: 'DROPDOWN',
        items: [{ text: '09:00', value: '09:00', selected: true }],
        onChange: { name: 'digest.time' },
      }),
    ]),
  ],
});

const ALL: [string, Reply, Record<string, unknown>, Record<string, unknown>][] = [
  [
    'text message',
    replies.text('hi'),
    { text: 'hi', actionResponse: { type: 'NEW_MESSAGE' } },
    { hostAppDataAction: { chatDataAction: { createMessageAction: { message: { text: 'hi' } } } } },
  ],
  [
    'private message',
    replies.text('only you', { privateTo: 'users/1' }),
    {
      text: 'only you',
      privateMessageViewer: { name: 'users/1' },
      actionResponse: { type: 'NEW_MESSAGE' },
    },
    {
      hostAppDataAction: {
        chatDataAction: {
          createMessageAction: {
            message: { text: 'only you', privateMessageViewer: { name: 'users/1' } },
          },
        },
      },
    },
  ],
  [
    'update message',
    replies.updateMessage({ text: 'new' }),
    { text: 'new', actionResponse: { type: 'UPDATE_MESSAGE' } },
    {
      hostAppDataAction: { chatDataAction: { updateMessageAction: { message: { text: 'new' } } } },
    },
  ],
  [
    'update user message cards',
    replies.updateUserMessageCards([]),
    { cardsV2: [], actionResponse: { type: 'UPDATE_USER_MESSAGE_CARDS' } },
    { hostAppDataAction: { chatDataAction: { updateInlinePreviewAction: { cardsV2: [] } } } },
  ],
  [
    'open dialog',
    replies.openDialog({ sections: [] }),
    { actionResponse: { type: 'DIALOG', dialogAction: { dialog: { body: { sections: [] } } } } },
    { action: { navigations: [{ pushCard: { sections: [] } }] } },
  ],
  [
    'close dialog',
    replies.closeDialog('Saved'),
    {
      actionResponse: {
        type: 'DIALOG',
        dialogAction: { actionStatus: { statusCode: 'OK', userFacingMessage: 'Saved' } },
      },
    },
    {
      action: {
        navigations: [{ endNavigation: { action: 'CLOSE_DIALOG' } }],
        notification: { text: 'Saved' },
      },
    },
  ],
  [
    'request config',
    replies.requestConfig('https://accounts.example/auth?x=1', 'Spacelog'),
    { actionResponse: { type: 'REQUEST_CONFIG', url: 'https://accounts.example/auth?x=1' } },
    {
      basicAuthorizationPrompt: {
        authorizationUrl: 'https://accounts.example/auth?x=1',
        resource: 'Spacelog',
      },
    },
  ],
  [
    'update widget',
    replies.updateWidget([{ text: 'Ada', value: 'users/1' }], 'people'),
    {
      actionResponse: {
        type: 'UPDATE_WIDGET',
        updatedWidget: {
          suggestions: { items: [{ text: 'Ada', value: 'users/1' }] },
          widget: 'people',
        },
      },
    },
    {
      action: {
        modifyOperations: [
          {
            updateWidget: {
              selectionInputWidgetSuggestions: { suggestions: [{ text: 'Ada', value: 'users/1' }] },
            },
          },
        ],
      },
    },
  ],
  ['nothing', replies.nothing(), {}, {}],
];

describe('renderReply', () => {
  it.each(ALL)('renders %s in both formats', (_name, reply, classic, addOn) => {
    expect(renderReply(reply, 'classic')).toEqual(classic);
    expect(renderReply(reply, 'add-on')).toEqual(addOn);
  });

  it('keeps action names as the classic function and puts the endpoint URL in add-on ones', () => {
    const reply = replies.cards([digest]);
    const classic = JSON.stringify(renderReply(reply, 'classic'));
    const addOn = JSON.stringify(
      renderReply(reply, 'add-on', { actionUrl: 'https://chat.example.test/events' }),
    );
    expect(classic).toContain('"function":"digest.set"');
    expect(classic).toContain('"function":"digest.time"');
    expect(addOn).not.toContain('"function":"digest.');
    expect(addOn.match(/"function":"https:\/\/chat\.example\.test\/events"/g)).toHaveLength(2);
    for (const out of [classic, addOn]) {
      expect(out).toContain(
        '{"key":"actionName","value":"digest.set"},{"key":"enabled","value":"false"}',
      );
      expect(out).toContain('"openLink":{"url":"https://example.test/docs"}');
    }
  });

  it('leaves the reply it renders unchanged', () => {
    const reply = replies.updateMessage({ cardsV2: [digest] });
    const before = JSON.stringify(reply);
    renderReply(reply, 'add-on', { actionUrl: 'https://x.test/' });
    expect(JSON.stringify(reply)).toBe(before);
  });
});

describe('card builder', () => {
  it('builds the widgets Spacelog uses as Google card JSON', () => {
    const built = card('c1', {
      header: { title: 'T', subtitle: 'S' },
      sections: [
        section(
          [
            textParagraph('<b>x</b>'),
            image('https://i.test/a.png', 'a'),
            divider(),
            textInput('title', 'Title', 'x'),
          ],
          'H',
        ),
      ],
    });
    expect(built).toEqual({
      cardId: 'c1',
      card: {
        header: { title: 'T', subtitle: 'S' },
        sections: [
          {
            header: 'H',
            widgets: [
              { textParagraph: { text: '<b>x</b>' } },
              { image: { imageUrl: 'https://i.test/a.png', altText: 'a' } },
              { divider: {} },
              { textInput: { name: 'title', label: 'Title', value: 'x' } },
            ],
          },
        ],
      },
    });
  });

  it('makes a reply private only outside direct messages', () => {
    const user = { name: 'users/1' };
    expect(privatelyTo({ space: { type: 'SPACE' }, user })).toEqual({ privateTo: 'users/1' });
    expect(privatelyTo({ space: { type: 'DIRECT_MESSAGE' }, user })).toEqual({});
  });
});
