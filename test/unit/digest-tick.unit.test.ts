import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { COMMAND_ATTRIBUTE } from '../../shared/pubsub.js';
import { parsePostDigest, POST_DIGEST } from '../../shared/commands.js';
import { digestId } from '../../shared/digest/identity.js';
import { handleDigestTick, type DigestTickDeps } from '../../shared/digest/tick.js';
import { silentLogger } from '../../shared/log.js';
import type { ProjectionStore } from '../../shared/projections/index.js';
import type { OutgoingMessage } from '../../shared/pubsub.js';

const due = (count: number): Awaited<ReturnType<ProjectionStore['dueDigests']>> =>
  Array.from({ length: count }, (_, i) => ({
    id: `S${i}`,
    data: {
      spaceName: `spaces/S${i}`,
      inSpace: true,
      enabled: true,
      nextDueAt: '2026-05-04T07:00:00.000Z',
      applied: {},
    },
  }));

function deps(count: number, publish: (m: OutgoingMessage) => Promise<string>): DigestTickDeps {
  return {
    projections: { dueDigests: (_now, limit) => Promise.resolve(due(Math.min(count, limit))) },
    publisher: { publish: (_topic, m) => publish(m) },
    clock: manualClock('2026-05-04T07:00:00Z'),
    logger: silentLogger,
    jobsTopic: 'jobs',
    maxSpaces: 1000,
    concurrency: 4,
  };
}

describe('digest tick', () => {
  it('publishes one job per due space, at most `concurrency` at a time', async () => {
    const sent: OutgoingMessage[] = [];
    let inFlight = 0;
    let most = 0;
    const report = await handleDigestTick(
      deps(20, async (m) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight -= 1;
        sent.push(m);
        return 'id';
      }),
    );
    expect(report).toEqual({ due: 20, published: 20, failed: 0 });
    expect(most).toBe(4);
    const first = sent.find((m) => parsePostDigest(m.data).space === 'spaces/S0');
    expect(first?.attributes?.[COMMAND_ATTRIBUTE]).toBe(POST_DIGEST);
    expect(parsePostDigest(first?.data).jobId).toBe(digestId('spaces/S0', '2026-05-04T07:00:00Z'));
  });

  it('publishes the other jobs when one fails, then fails the tick so it is delivered again', async () => {
    const sent: string[] = [];
    const tick = handleDigestTick(
      deps(10, async (m) => {
        const { space } = parsePostDigest(m.data);
        await Promise.resolve();
        if (space === 'spaces/S3') throw new Error('publish failed');
        sent.push(space);
        return 'id';
      }),
    );
    await expect(tick).rejects.toMatchObject({
      code: 'unavailable',
      details: { failed: 1, published: 9 },
    });
    expect(sent).toHaveLength(9);
  });
});
