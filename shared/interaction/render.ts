/**
 * Renders a reply into the format its interaction came in.
 *
 * Classic: a Message with `actionResponse`
 * (https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages#actionresponse).
 * Add-on: `hostAppDataAction.chatDataAction.createMessageAction` /
 * `updateMessageAction` / `updateInlinePreviewAction`, `action.navigations`
 * for dialogs, `action.modifyOperations` for widget suggestions,
 * `basicAuthorizationPrompt` for sign-in, and `{}` to acknowledge
 * (https://developers.google.com/workspace/add-ons/chat/build#actions,
 * https://developers.google.com/workspace/add-ons/chat/collect-information).
 */
import type { CardWithId } from './cards.js';
import type { InteractionFormat } from './model.js';
import type { Reply, ReplyMessage } from './reply.js';

/** Options of {@link renderReply}. */
export interface RenderOptions {
  /**
   * Add-on apps over HTTP: the endpoint URL that button actions must name
   * as their `function`. Without it, the action name stays.
   */
  readonly actionUrl?: string;
}

/** The JSON body of the synchronous answer. */
export type RenderedReply = Readonly<Record<string, unknown>>;

/** Renders `reply` for an interaction of `format`. */
export function renderReply(
  reply: Reply,
  format: InteractionFormat,
  options: RenderOptions = {},
): RenderedReply {
  return format === 'classic' ? renderClassic(reply) : renderAddOn(reply, options);
}

function classicMessage(message: ReplyMessage): Record<string, unknown> {
  return {
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.cardsV2 !== undefined ? { cardsV2: message.cardsV2 } : {}),
    ...(message.privateTo !== undefined
      ? { privateMessageViewer: { name: message.privateTo } }
      : {}),
  };
}

/** The classic rendering: a Message, with `actionResponse` saying what to do with it. */
export function renderClassic(reply: Reply): RenderedReply {
  switch (reply.kind) {
    case 'message':
      return { ...classicMessage(reply.message), actionResponse: { type: 'NEW_MESSAGE' } };
    case 'update-message':
      return { ...classicMessage(reply.message), actionResponse: { type: 'UPDATE_MESSAGE' } };
    case 'update-user-message-cards':
      return { cardsV2: reply.cardsV2, actionResponse: { type: 'UPDATE_USER_MESSAGE_CARDS' } };
    case 'dialog-open':
      return { actionResponse: { type: 'DIALOG', dialogAction: { dialog: { body: reply.card } } } };
    case 'dialog-close': {
      const status = {
        statusCode: 'OK',
        ...(reply.notice !== undefined ? { userFacingMessage: reply.notice } : {}),
      };
      return { actionResponse: { type: 'DIALOG', dialogAction: { actionStatus: status } } };
    }
    case 'request-config':
      return { actionResponse: { type: 'REQUEST_CONFIG', url: reply.authorizationUrl } };
    case 'update-widget':
      return {
        actionResponse: {
          type: 'UPDATE_WIDGET',
          updatedWidget: {
            suggestions: { items: reply.suggestions },
            ...(reply.widget !== undefined ? { widget: reply.widget } : {}),
          },
        },
      };
    case 'nothing':
      return {};
  }
}

/** The add-on rendering. */
export function renderAddOn(reply: Reply, options: RenderOptions = {}): RenderedReply {
  const url = options.actionUrl;
  const data = (action: Record<string, unknown>) => ({
    hostAppDataAction: { chatDataAction: action },
  });
  switch (reply.kind) {
    case 'message':
      return data({
        createMessageAction: { message: classicMessage(withUrl(reply.message, url)) },
      });
    case 'update-message':
      return data({
        updateMessageAction: { message: classicMessage(withUrl(reply.message, url)) },
      });
    case 'update-user-message-cards':
      return data({ updateInlinePreviewAction: { cardsV2: pointActions(reply.cardsV2, url) } });
    case 'dialog-open':
      return { action: { navigations: [{ pushCard: pointActions(reply.card, url) }] } };
    case 'dialog-close':
      return {
        action: {
          navigations: [{ endNavigation: { action: 'CLOSE_DIALOG' } }],
          ...(reply.notice !== undefined ? { notification: { text: reply.notice } } : {}),
        },
      };
    case 'request-config':
      return {
        basicAuthorizationPrompt: {
          authorizationUrl: reply.authorizationUrl,
          resource: reply.resource,
        },
      };
    case 'update-widget':
      return {
        action: {
          modifyOperations: [
            {
              updateWidget: { selectionInputWidgetSuggestions: { suggestions: reply.suggestions } },
            },
          ],
        },
      };
    case 'nothing':
      return {};
  }
}

function withUrl(message: ReplyMessage, url: string | undefined): ReplyMessage {
  if (url === undefined || message.cardsV2 === undefined) return message;
  return { ...message, cardsV2: pointActions(message.cardsV2, url) };
}

/** A copy of card JSON whose actions name `url` as their function. */
function pointActions<T extends CardWithId[] | readonly CardWithId[] | object>(
  cards: T,
  url: string | undefined,
): T {
  if (url === undefined) return cards;
  const walk = (value: unknown, key: string): unknown => {
    if (Array.isArray(value)) return value.map((v) => walk(v, ''));
    if (typeof value !== 'object' || value === null) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, k);
    if ((key === 'action' || key === 'onChangeAction') && typeof out.function === 'string') {
      out.function = url;
    }
    return out;
  };
  return walk(cards, '') as T;
}
