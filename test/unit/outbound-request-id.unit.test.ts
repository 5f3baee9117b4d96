import { describe, expect, it } from 'vitest';
import { isCustomMessageId, messageIdFor, requestIdFor } from '../../shared/outbound/request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFor', () => {
  it('is a version-8 UUID, the same for the same event and purpose', () => {
    const id = requestIdFor('interaction:abc', 'reply');
    expect(id).toMatch(UUID);
    expect(requestIdFor('interaction:abc', 'reply')).toBe(id);
  });

  it('differs by event and by purpose, and does not confuse the boundary between them', () => {
    const ids = new Set([
      requestIdFor('e1', 'reply'),
      requestIdFor('e2', 'reply'),
      requestIdFor('e1', 'details'),
      requestIdFor('e1r', 'eply'),
    ]);
    expect(ids.size).toBe(4);
  });
});

describe('messageIdFor', () => {
  it('is a valid custom message id of at most 63 characters', () => {
    const id = messageIdFor('alert:42', 'details');
    expect(isCustomMessageId(id)).toBe(true);
    expect(id.length).toBeLessThanOrEqual(63);
    expect(messageIdFor('alert:42', 'details')).toBe(id);
  });
});
