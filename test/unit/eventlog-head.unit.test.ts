/**
 * findHead: the newest version of a stream found by key lookups only, from
 * any lower bound, in a number of rounds that grows with log(distance).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findHead } from '../../shared/eventlog/firestore-head.js';

function versions(head: number) {
  const calls: number[][] = [];
  const exists = (vs: readonly number[]) => {
    calls.push([...vs]);
    return Promise.resolve(vs.map((v) => v >= 1 && v <= head));
  };
  return { exists, calls };
}

describe('findHead', () => {
  it('finds the head from any known lower bound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (head, fraction) => {
          const from = Math.floor(head * fraction);
          const { exists } = versions(head);
          expect(await findHead(exists, from)).toBe(head);
        },
      ),
    );
  });

  it('answers an up-to-date lower bound in one round of four lookups', async () => {
    const { exists, calls } = versions(20_000);
    expect(await findHead(exists, 20_000)).toBe(20_000);
    expect(calls).toEqual([[20_001, 20_002, 20_004, 20_008]]);
  });

  it('needs about as many rounds for 20,000 events as for 1,000 when starting cold', async () => {
    const small = versions(1_000);
    const large = versions(20_000);
    await findHead(small.exists, 0);
    await findHead(large.exists, 0);
    expect(large.calls.length - small.calls.length).toBeLessThanOrEqual(1);
    expect(large.calls.length).toBeLessThanOrEqual(6);
  });

  it('finds a short cold stream in one round when the first round is wide', async () => {
    const wide = [...Array.from({ length: 16 }, (_, i) => i + 1), 32, 64, 128];
    for (const head of [0, 1, 7, 15]) {
      const { exists, calls } = versions(head);
      expect(await findHead(exists, 0, wide)).toBe(head);
      expect(calls).toHaveLength(1);
    }
    const { exists } = versions(100);
    expect(await findHead(exists, 0, wide)).toBe(100);
  });
});
