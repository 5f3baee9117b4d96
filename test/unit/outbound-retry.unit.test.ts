import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, parseRetryAfter, retryPolicyFrom } from '../../shared/outbound/retry.js';

const policy = { baseDelayMs: 500, maxDelayMs: 32_000 };

describe('backoffDelayMs', () => {
  it('stays within the doubling ceiling and the cap for any attempt and draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (n, r) => {
          const delay = backoffDelayMs(n, policy, () => r);
          const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(ceiling);
        },
      ),
    );
  });

  it('uses the whole range from zero (full jitter)', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(3, policy, () => 0.999)).toBe(1998);
  });

  it('never waits less than Retry-After, even past the cap', () => {
    expect(backoffDelayMs(1, policy, () => 0, 7_000)).toBe(7_000);
    expect(backoffDelayMs(30, policy, () => 1, 90_000)).toBe(90_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7_000);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter(new Date(now + 5_000).toUTCString(), now)).toBe(5_000);
  });

  it('reads absent, past or unreadable values as no wait, and caps at an hour', () => {
    expect(parseRetryAfter(null, now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBe(0);
    expect(parseRetryAfter(new Date(now - 5_000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter('999999', now)).toBe(3_600_000);
  });
});

describe('retryPolicyFrom', () => {
  it('takes attempts, timeout and deadline from the settings', () => {
    const p = retryPolicyFrom({
      chatApiMaxAttempts: 4,
      chatApiTimeoutMs: 900,
      chatApiDeadlineMs: 5000,
    });
    expect(p).toMatchObject({ maxAttempts: 4, attemptTimeoutMs: 900, deadlineMs: 5000 });
  });
});
