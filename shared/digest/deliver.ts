/**
 * Posting a digest: through the Chat REST API as the app (`chat.bot`), or
 * through the space's incoming webhook. Which one is the space's setting
 * (`/digest` sets `delivery`); without one the API is used, since digests go
 * only to spaces the app is in. Both carry the digest's `requestId`, so a
 * repeated post gets back the message the first one made.
 */
import type { ChatClient, ChatMessage, WebhookSender } from '../outbound/index.js';

/** How a digest reached the space. */
export type Delivery = 'api' | 'webhook';

/** Where digests are posted through. */
export interface DigestPoster {
  readonly chat: Pick<ChatClient, 'createMessage'>;
  readonly webhooks: WebhookSender;
}

/** What a post made. */
export interface DigestDelivered {
  readonly delivery: Delivery;
  /** `spaces/ID/messages/ID`, when Chat answered with it. */
  readonly messageName?: string;
}

/** Posts `message` to `space` one way or the other. */
export async function deliverDigest(
  poster: DigestPoster,
  input: {
    readonly space: string;
    readonly message: ChatMessage;
    readonly requestId: string;
    readonly delivery: Delivery;
  },
): Promise<DigestDelivered> {
  if (input.delivery === 'webhook') {
    const { text, cardsV2 } = input.message;
    const posted = await poster.webhooks.send(input.space, {
      ...(text !== undefined && text !== null && { text }),
      ...(cardsV2 && { cardsV2 }),
      requestId: input.requestId,
    });
    return { delivery: 'webhook', ...(posted.name !== undefined && { messageName: posted.name }) };
  }
  const posted = await poster.chat.createMessage({
    space: input.space,
    message: input.message,
    requestId: input.requestId,
  });
  const name = posted.message.name;
  return { delivery: 'api', ...(typeof name === 'string' && { messageName: name }) };
}
