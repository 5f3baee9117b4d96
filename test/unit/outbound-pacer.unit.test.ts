import { describe, expect, it } from 'vitest';
import type { SpacelogError } from '../../shared/errors.js';
import { createWritePacer } from '../../shared/outbound/pacer.js';
import { virtualTime } from '../support/outbound-fakes.js';

function writer(options: Parameters<typeof createWritePacer>[0]) {
  const time = virtualTime();
  const pacer = createWritePacer(options, time);
  const grants: { space: string; at: number }[] = [];
  const write = async (space: string, notAfter = time.now() + 600_000) => {
    await pacer.acquire(space, notAfter);
    grants.push({ space, at: time.now() - time.start });
  };
  return { time, pacer, grants, write };
}

describe('write pacer', () => {
  it('spaces writes to one space by 60 s / perSpacePerMinute', async () => {
    const { grants, write } = writer({ perSpacePerMinute: 60 });
    await Promise.all([write('spaces/A'), write('spaces/A'), write('spaces/A')]);
    expect(grants.map((g) => g.at)).toEqual([0, 1_000, 2_000]);
  });

  it('paces each space on its own', async () => {
    const { grants, write } = writer({ perSpacePerMinute: 30 });
    await Promise.all([write('spaces/A'), write('spaces/B'), write('spaces/A'), write('spaces/B')]);
    const at = (space: string) => grants.filter((g) => g.space === space).map((g) => g.at);
    expect(at('spaces/A')).toEqual([0, 2_000]);
    expect(at('spaces/B')).toEqual([0, 2_000]);
  });

  it('paces all spaces together to perProjectPerMinute', async () => {
    const { grants, write } = writer({ perSpacePerMinute: 60, perProjectPerMinute: 600 });
    await Promise.all(['A', 'B', 'C', 'D'].map((s) => write(`spaces/${s}`)));
    expect(grants.map((g) => g.at)).toEqual([0, 100, 200, 300]);
  });

  it('refuses at once, as rate-limited, a write whose slot is past its deadline', async () => {
    const { time, grants, write } = writer({ perSpacePerMinute: 60 });
    const writes = [write('spaces/A'), write('spaces/A'), write('spaces/A', time.now() + 1_500)];
    const results = await Promise.allSettled(writes);
    const refused = results[2];
    expect(refused?.status).toBe('rejected');
    expect(((refused as PromiseRejectedResult).reason as SpacelogError).code).toBe('rate-limited');
    expect(grants).toHaveLength(2);
  });

  it('holds a space after a 429 until the time it was told', async () => {
    const { time, pacer, grants, write } = writer({ perSpacePerMinute: 60 });
    await write('spaces/A');
    pacer.holdUntil('spaces/A', time.now() + 7_000);
    await write('spaces/A');
    expect(grants.map((g) => g.at)).toEqual([0, 7_000]);
  });

  it('forgets idle spaces beyond maxSpaces without losing the pacing of busy ones', async () => {
    const { time, grants, write } = writer({ perSpacePerMinute: 60, maxSpaces: 2 });
    await write('spaces/A');
    time.advance(5_000);
    await write('spaces/B');
    await Promise.all([write('spaces/C'), write('spaces/B')]);
    const b = grants.filter((g) => g.space === 'spaces/B').map((g) => g.at);
    expect((b[1] ?? 0) - (b[0] ?? 0)).toBe(1_000);
  });
});
