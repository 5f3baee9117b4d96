/**
 * Interaction events as Google Chat sends them, in both formats, for tests:
 * one builder per format and a table of every kind Spacelog answers, with
 * the reply shape each must get. Shapes follow
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/Event and
 * https://developers.google.com/workspace/add-ons/concepts/event-objects#chat-event-object.
 */

/** Command ids the tests configure (COMMAND_ID_*). */
export const IDS = { help: '1', digest: '2', incident: '3', signout: '4', myspaces: '5' } as const;

/** The space and user most fixtures use. */
export const SPACE = { name: 'spaces/AAAA', spaceType: 'SPACE', displayName: 'Ops' };
export const DM = { name: 'spaces/DDDD', spaceType: 'DIRECT_MESSAGE', singleUserBotDm: true };
export const USER = {
  name: 'users/111',
  displayName: 'Ada',
  email: 'ada@example.com',
  type: 'HUMAN',
};
const APP_MENTION = {
  type: 'USER_MENTION',
  startIndex: 0,
  length: 9,
  userMention: { user: { name: 'users/app', type: 'BOT' }, type: 'MENTION' },
};

type Json = Record<string, unknown>;

/** A classic event of `type`; `at` picks the event time (seconds past a fixed instant). */
export function classic(type: string, fields: Json = {}, at = 0): Json {
  return {
    type,
    eventTime: new Date(Date.UTC(2026, 2, 1, 9, 0, at)).toISOString(),
    space: SPACE,
    user: USER,
    common: {
      userLocale: 'en',
      hostApp: 'CHAT',
      timeZone: { id: 'Europe/Paris', offset: 3600000 },
    },
    ...fields,
  };
}

/** An add-on event whose `chat` holds `payloadKey: payload`. */
export function addOn(payloadKey: string, payload: Json, common: Json = {}, at = 0): Json {
  return {
    commonEventObject: {
      userLocale: 'en',
      hostApp: 'CHAT',
      platform: 'WEB',
      timeZone: { id: 'Europe/Paris', offset: 3600000 },
      ...common,
    },
    authorizationEventObject: {
      systemIdToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    },
    chat: {
      user: USER,
      eventTime: new Date(Date.UTC(2026, 2, 1, 9, 0, at)).toISOString(),
      [payloadKey]: { space: SPACE, ...payload },
    },
  };
}

/** A message, with optional slash command. */
export function message(text: string, extra: Json = {}): Json {
  return {
    name: `${SPACE.name}/messages/M${text.length}`,
    text,
    thread: { name: `${SPACE.name}/threads/T1` },
    ...extra,
  };
}

/** A slash command message of the classic format. */
export function classicSlash(commandId: string, argumentText = '', at = 0): Json {
  return classic(
    'MESSAGE',
    {
      message: message(`/cmd${argumentText}`, {
        argumentText,
        slashCommand: { commandId },
        annotations: [
          {
            type: 'SLASH_COMMAND',
            slashCommand: { commandId, commandName: '/cmd', type: 'INVOKE' },
          },
        ],
      }),
    },
    at,
  );
}

/** A slash command of the add-on format. */
export function addOnSlash(commandId: string, argumentText = '', at = 0): Json {
  return addOn(
    'appCommandPayload',
    {
      appCommandMetadata: { appCommandId: commandId, appCommandType: 'SLASH_COMMAND' },
      message: message(`/cmd${argumentText}`, { argumentText }),
    },
    {},
    at,
  );
}

/** Parameters of a card click on `action` (as Spacelog's buttons send them). */
function clickParameters(
  action: string,
  parameters: Record<string, string>,
): Record<string, string> {
  return { actionName: action, ...parameters };
}

/** A classic card click. */
export function classicClick(
  action: string,
  parameters: Record<string, string> = {},
  at = 0,
): Json {
  return classic(
    'CARD_CLICKED',
    {
      message: message('card'),
      common: {
        timeZone: { id: 'Europe/Paris' },
        invokedFunction: action,
        parameters: clickParameters(action, parameters),
      },
    },
    at,
  );
}

/** An add-on card click (the function is the endpoint URL; the action is a parameter). */
export function addOnClick(action: string, parameters: Record<string, string> = {}, at = 0): Json {
  return addOn(
    'buttonClickedPayload',
    { message: message('card') },
    {
      invokedFunction: 'https://chat.example.test/events',
      parameters: clickParameters(action, parameters),
    },
    at,
  );
}

/** Which reply shape an event must get. */
export type ReplyShape =
  | 'new-message'
  | 'new-message-cards'
  | 'update-message'
  | 'dialog'
  | 'dialog-close'
  | 'widget'
  | 'ack';

/** One case of the table: a body, the kind it parses as, the reply shape it gets. */
export interface EventCase {
  readonly name: string;
  readonly format: 'classic' | 'add-on';
  readonly body: Json;
  readonly kind: string;
  readonly shape: ReplyShape;
}

/** Every event kind, in both formats. */
export function everyKind(): EventCase[] {
  const dialog = (phase: string) => ({ isDialogEvent: true, dialogEventType: phase });
  return [
    {
      name: 'DM message',
      format: 'classic',
      kind: 'message',
      shape: 'new-message',
      body: classic('MESSAGE', {
        space: DM,
        message: { ...message('hello'), name: `${DM.name}/messages/1` },
      }),
    },
    {
      name: 'mention',
      format: 'classic',
      kind: 'mention',
      shape: 'new-message',
      body: classic('MESSAGE', {
        message: message('@Spacelog hi', { annotations: [APP_MENTION], argumentText: ' hi' }),
      }),
    },
    {
      name: '/help',
      format: 'classic',
      kind: 'slash-command',
      shape: 'new-message-cards',
      body: classicSlash(IDS.help),
    },
    {
      name: '/digest',
      format: 'classic',
      kind: 'slash-command',
      shape: 'new-message-cards',
      body: classicSlash(IDS.digest),
    },
    {
      name: '/incident',
      format: 'classic',
      kind: 'slash-command',
      shape: 'new-message',
      body: classicSlash(IDS.incident, ' Checkout down'),
    },
    {
      name: 'APP_COMMAND slash',
      format: 'classic',
      kind: 'slash-command',
      shape: 'new-message-cards',
      body: classic('APP_COMMAND', {
        appCommandMetadata: { appCommandId: IDS.help, appCommandType: 'SLASH_COMMAND' },
        message: message('/help'),
      }),
    },
    {
      name: 'quick command',
      format: 'classic',
      kind: 'app-command',
      shape: 'new-message-cards',
      body: classic('APP_COMMAND', {
        appCommandMetadata: { appCommandId: IDS.help, appCommandType: 'QUICK_COMMAND' },
      }),
    },
    {
      name: '/signout placeholder',
      format: 'classic',
      kind: 'slash-command',
      shape: 'new-message',
      body: classicSlash(IDS.signout),
    },
    {
      name: 'added',
      format: 'classic',
      kind: 'added-to-space',
      shape: 'new-message-cards',
      body: classic('ADDED_TO_SPACE'),
    },
    {
      name: 'added by mention',
      format: 'classic',
      kind: 'added-to-space',
      shape: 'new-message-cards',
      body: classic('ADDED_TO_SPACE', {
        message: message('@Spacelog hello', { annotations: [APP_MENTION] }),
      }),
    },
    {
      name: 'removed',
      format: 'classic',
      kind: 'removed-from-space',
      shape: 'ack',
      body: classic('REMOVED_FROM_SPACE'),
    },
    {
      name: 'digest button',
      format: 'classic',
      kind: 'card-click',
      shape: 'update-message',
      body: classicClick('digest.set', { enabled: 'false' }),
    },
    {
      name: 'unknown button',
      format: 'classic',
      kind: 'card-click',
      shape: 'new-message',
      body: classicClick('nothing.here'),
    },
    {
      name: 'dialog request',
      format: 'classic',
      kind: 'dialog',
      shape: 'dialog',
      body: classic('MESSAGE', {
        ...dialog('REQUEST_DIALOG'),
        message: message('/cmd', { slashCommand: { commandId: '9' } }),
      }),
    },
    {
      name: 'dialog submit',
      format: 'classic',
      kind: 'dialog',
      shape: 'dialog-close',
      body: classic('CARD_CLICKED', {
        ...dialog('SUBMIT_DIALOG'),
        common: {
          invokedFunction: 'save',
          formInputs: { title: { stringInputs: { value: ['x'] } } },
        },
      }),
    },
    {
      name: 'dialog cancel',
      format: 'classic',
      kind: 'dialog',
      shape: 'dialog-close',
      body: classic('CARD_CLICKED', {
        ...dialog('CANCEL_DIALOG'),
        common: { invokedFunction: 'save' },
      }),
    },
    {
      name: 'widget update',
      format: 'classic',
      kind: 'widget-update',
      shape: 'widget',
      body: classic('WIDGET_UPDATED', {
        common: { invokedFunction: 'people', parameters: { autocomplete_widget_query: 'ad' } },
      }),
    },
    {
      name: 'app home',
      format: 'classic',
      kind: 'app-home',
      shape: 'ack',
      body: classic('APP_HOME', { space: DM }),
    },
    {
      name: 'unknown type',
      format: 'classic',
      kind: 'unknown',
      shape: 'ack',
      body: classic('SOMETHING_NEW'),
    },

    {
      name: 'DM message',
      format: 'add-on',
      kind: 'message',
      shape: 'new-message',
      body: addOn('messagePayload', {
        space: DM,
        message: { ...message('hello'), name: `${DM.name}/messages/1` },
      }),
    },
    {
      name: 'mention',
      format: 'add-on',
      kind: 'mention',
      shape: 'new-message',
      body: addOn('messagePayload', {
        message: message('@Spacelog hi', { annotations: [APP_MENTION] }),
      }),
    },
    {
      name: '/help',
      format: 'add-on',
      kind: 'slash-command',
      shape: 'new-message-cards',
      body: addOnSlash(IDS.help),
    },
    {
      name: '/digest',
      format: 'add-on',
      kind: 'slash-command',
      shape: 'new-message-cards',
      body: addOnSlash(IDS.digest),
    },
    {
      name: '/incident',
      format: 'add-on',
      kind: 'slash-command',
      shape: 'new-message',
      body: addOnSlash(IDS.incident, ' Checkout down'),
    },
    {
      name: 'quick command',
      format: 'add-on',
      kind: 'app-command',
      shape: 'new-message-cards',
      body: addOn('appCommandPayload', {
        appCommandMetadata: { appCommandId: IDS.help, appCommandType: 'QUICK_COMMAND' },
      }),
    },
    {
      name: '/myspaces placeholder',
      format: 'add-on',
      kind: 'slash-command',
      shape: 'new-message',
      body: addOnSlash(IDS.myspaces),
    },
    {
      name: 'added',
      format: 'add-on',
      kind: 'added-to-space',
      shape: 'new-message-cards',
      body: addOn('addedToSpacePayload', { interactionAdd: false }),
    },
    {
      name: 'removed',
      format: 'add-on',
      kind: 'removed-from-space',
      shape: 'ack',
      body: addOn('removedFromSpacePayload', {}),
    },
    {
      name: 'digest button',
      format: 'add-on',
      kind: 'card-click',
      shape: 'update-message',
      body: addOnClick('digest.set', { cadence: 'weekly' }),
    },
    {
      name: 'unknown button',
      format: 'add-on',
      kind: 'card-click',
      shape: 'new-message',
      body: addOnClick('nothing.here'),
    },
    {
      name: 'dialog request',
      format: 'add-on',
      kind: 'dialog',
      shape: 'dialog',
      body: addOn('appCommandPayload', {
        appCommandMetadata: { appCommandId: '9', appCommandType: 'SLASH_COMMAND' },
        dialogEventType: 'REQUEST_DIALOG',
        isDialogEvent: true,
      }),
    },
    {
      name: 'dialog submit',
      format: 'add-on',
      kind: 'dialog',
      shape: 'dialog-close',
      body: addOn(
        'buttonClickedPayload',
        { isDialogEvent: true, dialogEventType: 'SUBMIT_DIALOG' },
        {
          parameters: { actionName: 'save' },
          formInputs: { title: { stringInputs: { value: ['x'] } } },
        },
      ),
    },
    {
      name: 'widget update',
      format: 'add-on',
      kind: 'widget-update',
      shape: 'widget',
      body: addOn(
        'widgetUpdatedPayload',
        {},
        { parameters: { actionName: 'people', autocomplete_widget_query: 'ad' } },
      ),
    },
    {
      name: 'unknown payload',
      format: 'add-on',
      kind: 'unknown',
      shape: 'ack',
      body: addOn('linkPreviewPayload', {}),
    },
  ];
}

/** True when `rendered` has the shape `shape` in `format`. */
export function hasShape(rendered: Json, format: 'classic' | 'add-on', shape: ReplyShape): boolean {
  const get = (path: string): unknown =>
    path.split('.').reduce<unknown>((v, k) => (v as Json | undefined)?.[k], rendered);
  if (format === 'classic') {
    const type = get('actionResponse.type');
    switch (shape) {
      case 'new-message':
        return type === 'NEW_MESSAGE' && typeof rendered.text === 'string';
      case 'new-message-cards':
        return type === 'NEW_MESSAGE' && Array.isArray(rendered.cardsV2);
      case 'update-message':
        return type === 'UPDATE_MESSAGE' && Array.isArray(rendered.cardsV2);
      case 'dialog':
        return type === 'DIALOG' && get('actionResponse.dialogAction.dialog.body') !== undefined;
      case 'dialog-close':
        return (
          type === 'DIALOG' && get('actionResponse.dialogAction.actionStatus.statusCode') === 'OK'
        );
      case 'widget':
        return (
          type === 'UPDATE_WIDGET' &&
          Array.isArray(get('actionResponse.updatedWidget.suggestions.items'))
        );
      case 'ack':
        return Object.keys(rendered).length === 0;
    }
  }
  const created = get('hostAppDataAction.chatDataAction.createMessageAction.message') as
    Json | undefined;
  switch (shape) {
    case 'new-message':
      return typeof created?.text === 'string';
    case 'new-message-cards':
      return Array.isArray(created?.cardsV2);
    case 'update-message':
      return Array.isArray(
        get('hostAppDataAction.chatDataAction.updateMessageAction.message.cardsV2'),
      );
    case 'dialog':
      return get('action.navigations.0.pushCard') !== undefined;
    case 'dialog-close':
      return get('action.navigations.0.endNavigation.action') === 'CLOSE_DIALOG';
    case 'widget':
      return Array.isArray(
        get('action.modifyOperations.0.updateWidget.selectionInputWidgetSuggestions.suggestions'),
      );
    case 'ack':
      return Object.keys(rendered).length === 0;
  }
}
