import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpacelogError } from '../../shared/errors.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { anyJson, CHAT_EVENT_TEMPLATES, nearValid } from '../support/fuzz-arbitraries.js';

/** Parses `input`; any throw other than the coded `invalid-input` fails the property. */
function parsesOrRefuses(input: unknown): void {
  try {
    const interaction = parseInteraction(input);
    // What the parser accepts is normalised: the fields the rest of the code relies on are there.
    expect(interaction.id).toMatch(/^ix-[0-9a-f]{32}$/);
    expect(interaction.space.name.startsWith('spaces/')).toBe(true);
    expect(interaction.user.name.startsWith('users/')).toBe(true);
    expect(Number.isNaN(Date.parse(interaction.eventTime))).toBe(false);
    expect(JSON.parse(JSON.stringify(interaction))).toBeTypeOf('object');
  } catch (error) {
    if (!(error instanceof SpacelogError) || error.code !== 'invalid-input') throw error;
    expect(typeof error.details.reason).toBe('string');
  }
}

// Thousands of runs each: generous on a loaded 2-core machine running the whole suite.
describe('the interaction parser under fuzzing', { timeout: 60_000 }, () => {
  it('parses every template as it stands', () => {
    for (const template of CHAT_EVENT_TEMPLATES)
      expect(() => parseInteraction(template)).not.toThrow();
  });

  it('refuses arbitrary JSON only with the coded invalid-input error', () => {
    fc.assert(fc.property(anyJson, parsesOrRefuses), { numRuns: 2000 });
  });

  it('refuses any value at all (not only JSON) only with invalid-input', () => {
    fc.assert(fc.property(fc.anything(), parsesOrRefuses), { numRuns: 1000 });
  });

  it('parses or refuses with invalid-input every mutation of a valid event of either format', () => {
    fc.assert(fc.property(nearValid(CHAT_EVENT_TEMPLATES), parsesOrRefuses), { numRuns: 5000 });
  });

  it('refuses an event time in seconds beyond the dates JavaScript can hold (found by fuzzing)', () => {
    const chat = {
      user: { name: 'users/1' },
      space: { name: 'spaces/A' },
      addedToSpacePayload: {},
    };
    parsesOrRefuses({ chat: { ...chat, eventTime: { seconds: 2 ** 53, nanos: 0 } } });
    parsesOrRefuses({ type: 'ADDED_TO_SPACE', ...chat, eventTime: { seconds: '1e300' } });
  });

  it('gives a mutated event that still parses the same id on every parse', () => {
    fc.assert(
      fc.property(nearValid(CHAT_EVENT_TEMPLATES), (input) => {
        let first: string;
        try {
          first = parseInteraction(input).id;
        } catch {
          return;
        }
        expect(parseInteraction(structuredClone(input)).id).toBe(first);
      }),
      { numRuns: 1000 },
    );
  });
});
