/**
 * Keeps messages within Chat's size limit (32,000 bytes of UTF-8, text and
 * cards together) so that Chat never refuses one for its size. Long text is
 * split into several messages, cut at a line break or space where one is
 * near and never inside a character; cards too big to fit are trimmed from
 * the end, with a note saying so.
 * https://developers.google.com/workspace/chat/create-messages
 */
import type { ChatCardWithId, ChatMessage } from './chat-types.js';

/** Chat's limit on one message. */
export const MESSAGE_MAX_BYTES = 32_000;

/** Room kept for the fields other than text and cards (thread, viewer). */
const FIELD_ALLOWANCE = 1_000;

/** The note added to a card that was trimmed. */
export const TRIMMED_NOTE = 'Trimmed to fit the size limit of a Chat message.';

/** The messages to send in place of one. */
export interface SplitMessage {
  /** In sending order; the first carries the cards. Never empty. */
  readonly parts: readonly ChatMessage[];
  /** True when cards were cut to fit. */
  readonly trimmed: boolean;
}

/** UTF-8 bytes of a message's text and cards. */
export function messageBytes(message: ChatMessage): number {
  return Buffer.byteLength(message.text ?? '') + cardBytes(message);
}

function cardBytes(message: ChatMessage): number {
  const cards = { cardsV2: message.cardsV2, accessoryWidgets: message.accessoryWidgets };
  return message.cardsV2 || message.accessoryWidgets ? Buffer.byteLength(JSON.stringify(cards)) : 0;
}

/** Splits or trims `message` so that each part is at most `maxBytes`. */
export function splitMessage(message: ChatMessage, maxBytes = MESSAGE_MAX_BYTES): SplitMessage {
  if (messageBytes(message) <= maxBytes - FIELD_ALLOWANCE)
    return { parts: [message], trimmed: false };

  const budget = maxBytes - FIELD_ALLOWANCE;
  let first: ChatMessage = message;
  let trimmed = false;
  if (message.cardsV2 && cardBytes(message) > budget) {
    first = { ...message, cardsV2: trimCards(message.cardsV2, budget - accessoryBytes(message)) };
    trimmed = true;
  }

  const { text, cardsV2, cards, accessoryWidgets, attachment, ...shared } = first;
  const firstRoom = budget - cardBytes(first);
  const chunks = chunkText(text ?? '', Math.max(0, firstRoom), budget);
  const head: ChatMessage = {
    ...shared,
    ...(cardsV2 !== undefined && { cardsV2 }),
    ...(cards !== undefined && { cards }),
    ...(accessoryWidgets !== undefined && { accessoryWidgets }),
    ...(attachment !== undefined && { attachment }),
    ...(chunks[0] !== '' && { text: chunks[0] }),
  };
  const rest = chunks.slice(1).map((chunk): ChatMessage => ({ ...shared, text: chunk }));
  return { parts: [head, ...rest], trimmed };
}

function accessoryBytes(message: ChatMessage): number {
  return message.accessoryWidgets ? Buffer.byteLength(JSON.stringify(message.accessoryWidgets)) : 0;
}

/**
 * Cuts `text` into pieces of at most `firstMax` bytes (the first) and
 * `max` bytes (the others). The first may be empty when it has no room.
 */
export function chunkText(text: string, firstMax: number, max: number): string[] {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: string[] = [];
  let start = 0;
  let limit = firstMax;
  while (bytes.length - start > limit) {
    const cut = cutPoint(bytes, start, limit);
    chunks.push(bytes.subarray(start, cut).toString('utf8'));
    start = cut;
    limit = max;
  }
  chunks.push(bytes.subarray(start).toString('utf8'));
  return chunks;
}

function cutPoint(bytes: Buffer, start: number, limit: number): number {
  let cut = start + limit;
  // Continuation bytes are 10xxxxxx: step back to the start of a character.
  while (cut > start && ((bytes[cut] ?? 0) & 0xc0) === 0x80) cut--;
  const floor = start + Math.floor(limit * 0.75);
  const newline = bytes.lastIndexOf(0x0a, cut - 1);
  if (newline >= floor) return newline + 1;
  const space = bytes.lastIndexOf(0x20, cut - 1);
  return space >= floor ? space + 1 : cut;
}

/**
 * Drops widgets from the end (then empty sections, then cards) until the
 * cards and a trailing note fit in `maxBytes`. Never returns no card.
 */
export function trimCards(cards: readonly ChatCardWithId[], maxBytes: number): ChatCardWithId[] {
  const copy = structuredClone(cards) as ChatCardWithId[];
  const noteBytes = Buffer.byteLength(JSON.stringify(noteSection())) + 32;
  let over = Buffer.byteLength(JSON.stringify({ cardsV2: copy })) + noteBytes - maxBytes;
  while (over > 0) {
    // Drop pieces worth at least the excess before measuring again: one pass per piece is quadratic.
    let dropped = 0;
    while (dropped < over) {
      const size = dropLast(copy);
      if (size === 0) return addNote(copy);
      dropped += size;
    }
    over = Buffer.byteLength(JSON.stringify({ cardsV2: copy })) + noteBytes - maxBytes;
  }
  return addNote(copy);
}

/** Removes the last widget, section, header or card; returns its JSON size (0: nothing left). */
function dropLast(cards: ChatCardWithId[]): number {
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value)) + 1;
  const card = cards[cards.length - 1];
  if (!card) return 0;
  const sections = card.card?.sections ?? [];
  const section = sections[sections.length - 1];
  if (section?.widgets && section.widgets.length > 0) return bytes(section.widgets.pop());
  if (section) return bytes(sections.pop());
  if (card.card?.header) {
    const size = bytes(card.card.header);
    delete card.card.header;
    return size;
  }
  if (cards.length > 1) return bytes(cards.pop());
  return 0;
}

const noteSection = () => ({ widgets: [{ textParagraph: { text: TRIMMED_NOTE } }] });

function addNote(cards: ChatCardWithId[]): ChatCardWithId[] {
  if (cards.length === 0) cards.push({ cardId: 'trimmed', card: {} });
  const card = cards[cards.length - 1] as ChatCardWithId;
  const body = (card.card ??= {});
  (body.sections ??= []).push(noteSection());
  return cards;
}

/**
 * One message within the limit, for an update (which cannot become several
 * messages): the text is cut with an ellipsis and the cards trimmed.
 */
export function fitMessage(message: ChatMessage, maxBytes = MESSAGE_MAX_BYTES): SplitMessage {
  const { parts, trimmed } = splitMessage(message, maxBytes);
  const [head] = parts;
  if (parts.length === 1 || head === undefined) return { parts, trimmed };
  return { parts: [{ ...head, text: `${head.text ?? ''}…` }], trimmed: true };
}
