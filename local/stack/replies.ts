/**
 * What Google Chat does with an app's synchronous answer, in either format:
 * post a new message, replace the clicked message, show a sign-in prompt,
 * open or close a dialog, or nothing. Pure: `chat-player.ts` carries it out.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.messages#actionresponse
 * https://developers.google.com/workspace/add-ons/chat/build#actions
 */

/** The content of a message the app answered with. */
export interface ReplyContent {
  readonly text?: string;
  readonly cardsV2?: unknown[];
  /** `users/…` who alone sees it. */
  readonly privateMessageViewer?: string;
}

/** What Chat does with the answer. */
export type ChatOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'create'; readonly content: ReplyContent }
  | { readonly kind: 'update'; readonly content: ReplyContent }
  | { readonly kind: 'update-user-cards'; readonly cardsV2: unknown[] }
  | { readonly kind: 'sign-in'; readonly url: string; readonly resource?: string }
  | { readonly kind: 'dialog'; readonly card: unknown }
  | { readonly kind: 'close-dialog'; readonly notice?: string }
  | { readonly kind: 'widget-update' }
  | { readonly kind: 'unreadable'; readonly reason: string };

type Json = Record<string, unknown>;

const obj = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;

function contentOf(message: Json | undefined): ReplyContent | undefined {
  if (message === undefined) return undefined;
  const text = typeof message['text'] === 'string' ? message['text'] : undefined;
  const cards = Array.isArray(message['cardsV2']) ? (message['cardsV2'] as unknown[]) : undefined;
  const viewer = obj(message['privateMessageViewer'])?.['name'];
  if (text === undefined && cards === undefined) return undefined;
  return {
    ...(text !== undefined ? { text } : {}),
    ...(cards !== undefined ? { cardsV2: cards } : {}),
    ...(typeof viewer === 'string' ? { privateMessageViewer: viewer } : {}),
  };
}

/** A classic answer: a Message whose `actionResponse.type` says what to do with it. */
export function classicOutcome(body: Json): ChatOutcome {
  const response = obj(body['actionResponse']);
  const type = typeof response?.['type'] === 'string' ? response['type'] : 'NEW_MESSAGE';
  const content = contentOf(body);
  switch (type) {
    case 'NEW_MESSAGE':
    case 'TYPE_UNSPECIFIED':
      return content ? { kind: 'create', content } : { kind: 'none' };
    case 'UPDATE_MESSAGE':
      return content ? { kind: 'update', content } : { kind: 'unreadable', reason: 'empty update' };
    case 'UPDATE_USER_MESSAGE_CARDS':
      return { kind: 'update-user-cards', cardsV2: content?.cardsV2 ?? [] };
    case 'REQUEST_CONFIG': {
      const url = response?.['url'];
      return typeof url === 'string'
        ? { kind: 'sign-in', url }
        : { kind: 'unreadable', reason: 'REQUEST_CONFIG without url' };
    }
    case 'DIALOG': {
      const action = obj(response?.['dialogAction']);
      const card = obj(obj(action?.['dialog'])?.['body']);
      if (card) return { kind: 'dialog', card };
      const notice = obj(action?.['actionStatus'])?.['userFacingMessage'];
      return { kind: 'close-dialog', ...(typeof notice === 'string' ? { notice } : {}) };
    }
    case 'UPDATE_WIDGET':
      return { kind: 'widget-update' };
    default:
      return { kind: 'unreadable', reason: `unknown actionResponse.type ${type}` };
  }
}

/** An add-on answer: a host app data action, a navigation, or a sign-in prompt. */
export function addOnOutcome(body: Json): ChatOutcome {
  const prompt = obj(body['basicAuthorizationPrompt']);
  if (prompt && typeof prompt['authorizationUrl'] === 'string') {
    const resource = typeof prompt['resource'] === 'string' ? prompt['resource'] : undefined;
    return {
      kind: 'sign-in',
      url: prompt['authorizationUrl'],
      ...(resource !== undefined ? { resource } : {}),
    };
  }
  const data = obj(obj(body['hostAppDataAction'])?.['chatDataAction']);
  const created = contentOf(obj(obj(data?.['createMessageAction'])?.['message']));
  if (created) return { kind: 'create', content: created };
  const updated = contentOf(obj(obj(data?.['updateMessageAction'])?.['message']));
  if (updated) return { kind: 'update', content: updated };
  const preview = obj(data?.['updateInlinePreviewAction']);
  if (preview) {
    const cards = Array.isArray(preview['cardsV2']) ? (preview['cardsV2'] as unknown[]) : [];
    return { kind: 'update-user-cards', cardsV2: cards };
  }
  const action = obj(body['action']);
  const navigations = Array.isArray(action?.['navigations']) ? action['navigations'] : [];
  const first = obj(navigations[0]);
  if (first?.['pushCard'] !== undefined) return { kind: 'dialog', card: first['pushCard'] };
  if (first?.['endNavigation'] !== undefined) {
    const notice = obj(action?.['notification'])?.['text'];
    return { kind: 'close-dialog', ...(typeof notice === 'string' ? { notice } : {}) };
  }
  if (action?.['modifyOperations'] !== undefined) return { kind: 'widget-update' };
  return Object.keys(body).length === 0 || data !== undefined
    ? { kind: 'none' }
    : { kind: 'unreadable', reason: 'no action Chat knows' };
}
