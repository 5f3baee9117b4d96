import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpacelogError } from '../../shared/errors.js';
import { ALERT_KEY, parseAlert } from '../../shared/incidents/index.js';
import { ALERT_TEMPLATES, anyJson, nearValid } from '../support/fuzz-arbitraries.js';

/** Parses `input`; any throw other than the coded `invalid-input` fails the property. */
function parsesOrRefuses(input: unknown): void {
  try {
    const alert = parseAlert(input);
    expect(alert.key).toMatch(ALERT_KEY);
    if (alert.status === 'firing') expect(alert.title?.length).toBeGreaterThan(0);
    if (alert.startedAt !== undefined)
      expect(Number.isNaN(Date.parse(alert.startedAt))).toBe(false);
  } catch (error) {
    if (!(error instanceof SpacelogError) || error.code !== 'invalid-input') throw error;
    expect(typeof error.details.reason).toBe('string');
  }
}

// Thousands of runs each: generous on a loaded 2-core machine running the whole suite.
describe('the alert parser under fuzzing', { timeout: 60_000 }, () => {
  it('parses every template as it stands', () => {
    for (const template of ALERT_TEMPLATES) expect(() => parseAlert(template)).not.toThrow();
  });

  it('refuses arbitrary JSON and any other value only with invalid-input', () => {
    fc.assert(fc.property(fc.oneof(anyJson, fc.anything()), parsesOrRefuses), { numRuns: 2000 });
  });

  it('parses or refuses with invalid-input every mutation of a valid alert of either shape', () => {
    fc.assert(fc.property(nearValid(ALERT_TEMPLATES), parsesOrRefuses), { numRuns: 5000 });
  });
});
