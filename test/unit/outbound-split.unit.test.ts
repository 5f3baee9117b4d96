import { describe, expect, it } from 'vitest';
import type { ChatCardWithId } from '../../shared/outbound/chat-types.js';
import {
  chunkText,
  fitMessage,
  MESSAGE_MAX_BYTES,
  messageBytes,
  splitMessage,
  TRIMMED_NOTE,
} from '../../shared/outbound/split.js';

const bytes = (s: string | null | undefined) => Buffer.byteLength(s ?? '');

describe('splitMessage', () => {
  it('leaves a message within the limit as it is', () => {
    const message = { text: 'hello', privateMessageViewer: { name: 'users/1' } };
    expect(splitMessage(message)).toEqual({ parts: [message], trimmed: false });
  });

  it('splits long multi-byte text into parts of at most 32,000 bytes that join back exactly', () => {
    const text = 'é漢🙂 word '.repeat(5_000); // about 75 kB
    const { parts } = splitMessage({ text });
    expect(parts.length).toBeGreaterThanOrEqual(3);
    for (const part of parts) expect(messageBytes(part)).toBeLessThanOrEqual(MESSAGE_MAX_BYTES);
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.map((p) => p.text).join('')).not.toContain('\uFFFD');
  });

  it('cuts at a line break when one is near the limit', () => {
    const line = 'x'.repeat(99) + '\n';
    const { parts } = splitMessage({ text: line.repeat(700) });
    expect(parts[0]?.text?.endsWith('\n')).toBe(true);
    expect(bytes(parts[0]?.text) % 100).toBe(0);
  });

  it('keeps the cards on the first part and viewer fields on every part', () => {
    const cardsV2 = [
      { cardId: 'c', card: { sections: [{ widgets: [{ textParagraph: { text: 'hi' } }] }] } },
    ];
    const viewer = { name: 'users/1' };
    const { parts } = splitMessage({
      text: 'y'.repeat(40_000),
      cardsV2,
      privateMessageViewer: viewer,
    });
    expect(parts[0]?.cardsV2).toEqual(cardsV2);
    expect(parts[1]?.cardsV2).toBeUndefined();
    expect(parts.every((p) => p.privateMessageViewer === viewer)).toBe(true);
  });

  it('trims cards too big for one message, with a note, to within the limit', () => {
    const widgets = Array.from({ length: 600 }, (_, i) => ({
      textParagraph: { text: `row ${i} ${'z'.repeat(80)}` },
    }));
    const cardsV2: ChatCardWithId[] = [
      { cardId: 'big', card: { header: { title: 'T' }, sections: [{ widgets }] } },
    ];
    const { parts, trimmed } = splitMessage({ cardsV2 });
    expect(trimmed).toBe(true);
    expect(parts).toHaveLength(1);
    expect(messageBytes(parts[0] ?? {})).toBeLessThanOrEqual(MESSAGE_MAX_BYTES);
    expect(JSON.stringify(parts[0]?.cardsV2)).toContain(TRIMMED_NOTE);
    expect(JSON.stringify(parts[0]?.cardsV2)).toContain('row 0 ');
    expect(cardsV2[0]?.card?.sections?.[0]?.widgets).toHaveLength(600);
  });
});

describe('chunkText', () => {
  it('gives the first chunk its own, smaller budget', () => {
    const chunks = chunkText('a'.repeat(250), 50, 100);
    expect(chunks.map((c) => c.length)).toEqual([50, 100, 100]);
  });
});

describe('fitMessage', () => {
  it('cuts an oversize update to one message with an ellipsis', () => {
    const { parts, trimmed } = fitMessage({ text: 'q'.repeat(50_000) });
    expect(parts).toHaveLength(1);
    expect(trimmed).toBe(true);
    expect(parts[0]?.text?.endsWith('…')).toBe(true);
    expect(messageBytes(parts[0] ?? {})).toBeLessThanOrEqual(MESSAGE_MAX_BYTES);
  });
});
