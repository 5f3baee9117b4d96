/**
 * The reply: what the app decided to answer an interaction with, free of
 * any wire format. `render.ts` turns it into a classic Message or an add-on
 * action; `chatPubsub` sends the same value through the Chat REST API.
 */
import type { Card, CardWithId, SelectionItem } from './cards.js';

/** A message to post (or to put in place of the one clicked). */
export interface ReplyMessage {
  readonly text?: string;
  readonly cardsV2?: readonly CardWithId[];
  /** `users/ID`: only this user sees the message. */
  readonly privateTo?: string;
}

/** Every reply. */
export type Reply =
  /** A new message in the space (NEW_MESSAGE / createMessageAction). */
  | { readonly kind: 'message'; readonly message: ReplyMessage }
  /** Replace the app's message that was clicked (UPDATE_MESSAGE / updateMessageAction). */
  | { readonly kind: 'update-message'; readonly message: ReplyMessage }
  /** Replace the cards on the user's message, as for link previews. */
  | { readonly kind: 'update-user-message-cards'; readonly cardsV2: readonly CardWithId[] }
  /** Open a dialog showing this card. */
  | { readonly kind: 'dialog-open'; readonly card: Card }
  /** Close the dialog, with an optional short notice to the user. */
  | { readonly kind: 'dialog-close'; readonly notice?: string }
  /** Ask the user to sign in: REQUEST_CONFIG / basicAuthorizationPrompt. */
  | {
      readonly kind: 'request-config';
      readonly authorizationUrl: string;
      /** The name the add-on prompt shows for what is being authorized. */
      readonly resource: string;
    }
  /** Suggestions for a selection input the user is typing in. */
  | {
      readonly kind: 'update-widget';
      readonly suggestions: readonly SelectionItem[];
      /** The widget to update (classic `updatedWidget.widget`). */
      readonly widget?: string;
    }
  /** Acknowledge without answering. */
  | { readonly kind: 'nothing' };

/** The reply kinds. */
export type ReplyKind = Reply['kind'];

/** Reply builders, so handlers read as sentences. */
export const replies = {
  text: (text: string, options: { privateTo?: string } = {}): Reply => ({
    kind: 'message',
    message: { text, ...options },
  }),
  message: (message: ReplyMessage): Reply => ({ kind: 'message', message }),
  cards: (
    cardsV2: readonly CardWithId[],
    options: { text?: string; privateTo?: string } = {},
  ): Reply => ({
    kind: 'message',
    message: { cardsV2, ...options },
  }),
  updateMessage: (message: ReplyMessage): Reply => ({ kind: 'update-message', message }),
  updateUserMessageCards: (cardsV2: readonly CardWithId[]): Reply => ({
    kind: 'update-user-message-cards',
    cardsV2,
  }),
  openDialog: (card: Card): Reply => ({ kind: 'dialog-open', card }),
  closeDialog: (notice?: string): Reply => ({
    kind: 'dialog-close',
    ...(notice !== undefined ? { notice } : {}),
  }),
  requestConfig: (authorizationUrl: string, resource: string): Reply => ({
    kind: 'request-config',
    authorizationUrl,
    resource,
  }),
  updateWidget: (suggestions: readonly SelectionItem[], widget?: string): Reply => ({
    kind: 'update-widget',
    suggestions,
    ...(widget !== undefined ? { widget } : {}),
  }),
  nothing: (): Reply => ({ kind: 'nothing' }),
} as const;

/**
 * `{privateTo}` for a reply only the user should see. In a direct message
 * the reply is private anyway, so nothing is set there.
 */
export function privatelyTo(interaction: {
  readonly space: { readonly type: string };
  readonly user: { readonly name: string };
}): { privateTo?: string } {
  return interaction.space.type === 'DIRECT_MESSAGE' ? {} : { privateTo: interaction.user.name };
}
