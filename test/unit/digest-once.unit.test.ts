import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { digestId } from '../../shared/digest/identity.js';
import { SpacelogError } from '../../shared/errors.js';
import { spaceStream, type EventStore } from '../../shared/eventlog/index.js';
import { spaceDocId } from '../../shared/projections/index.js';
import { digestLoop } from '../support/digest-loop.js';

const SPACE = 'spaces/AAA';
const FIVE_MINUTES = 5 * 60_000;

/** Ticks every five minutes until `until`, running each tick's jobs. */
async function runUntil(loop: ReturnType<typeof digestLoop>, until: string) {
  const end = Date.parse(until);
  while (loop.clock.now().getTime() < end) {
    loop.clock.advance(FIVE_MINUTES);
    await loop.tickAndRun();
  }
}

const berlin = (at: Date) =>
  DateTime.fromJSDate(at, { zone: 'Europe/Berlin' }).toFormat('yyyy-LL-dd HH:mm');

describe('scheduled digest: daily 09:00 Europe/Berlin', () => {
  it('posts at 09:00 local time on both sides of the spring change, once a day', async () => {
    const loop = digestLoop('2026-03-27T12:00:00Z');
    await loop.setUp(SPACE);
    await runUntil(loop, '2026-03-31T06:00:00Z');

    expect(loop.made.map((m) => berlin(m.at))).toEqual([
      '2026-03-28 09:00',
      '2026-03-29 09:00',
      '2026-03-30 09:00',
    ]);
    // 09:00 CET is 08:00 UTC; after the change 09:00 CEST is 07:00 UTC.
    expect(loop.made.map((m) => m.at.toISOString())).toEqual([
      '2026-03-28T08:00:00.000Z',
      '2026-03-29T07:00:00.000Z',
      '2026-03-30T07:00:00.000Z',
    ]);
  });

  it('posts at 09:00 local time on both sides of the autumn change, once a day', async () => {
    const loop = digestLoop('2026-10-23T12:00:00Z');
    await loop.setUp(SPACE);
    await runUntil(loop, '2026-10-27T06:00:00Z');

    expect(loop.made.map((m) => m.at.toISOString())).toEqual([
      '2026-10-24T07:00:00.000Z',
      '2026-10-25T08:00:00.000Z',
      '2026-10-26T08:00:00.000Z',
    ]);
    expect(new Set(loop.made.map((m) => berlin(m.at).slice(11)))).toEqual(new Set(['09:00']));
  });
});

describe('scheduled digest: daily 09:00 in a half-hour-offset zone', () => {
  it('posts at 09:00 Adelaide time on both sides of its autumn change (+10:30 to +09:30)', async () => {
    const loop = digestLoop('2026-04-03T12:00:00Z');
    await loop.setUp(SPACE, { timeZone: 'Australia/Adelaide' });
    await runUntil(loop, '2026-04-06T12:00:00Z');

    expect(loop.made.map((m) => m.at.toISOString())).toEqual([
      '2026-04-03T22:30:00.000Z',
      '2026-04-04T23:30:00.000Z',
      '2026-04-05T23:30:00.000Z',
    ]);
    const local = loop.made.map((m) =>
      DateTime.fromJSDate(m.at, { zone: 'Australia/Adelaide' }).toFormat('yyyy-LL-dd HH:mm'),
    );
    expect(local).toEqual(['2026-04-04 09:00', '2026-04-05 09:00', '2026-04-06 09:00']);
  });

  it('posts at 09:00 Kolkata time (+05:30) every day', async () => {
    const loop = digestLoop('2026-05-04T00:00:00Z');
    await loop.setUp(SPACE, { timeZone: 'Asia/Kolkata' });
    await runUntil(loop, '2026-05-06T12:00:00Z');
    expect(loop.made.map((m) => m.at.toISOString())).toEqual([
      '2026-05-04T03:30:00.000Z',
      '2026-05-05T03:30:00.000Z',
      '2026-05-06T03:30:00.000Z',
    ]);
  });
});

describe('scheduled digest: once per period', () => {
  it('gives one digest for duplicate and overlapping ticks and racing jobs', async () => {
    const loop = digestLoop('2026-05-04T06:00:00Z');
    await loop.setUp(SPACE);
    await loop.append(loop.message(SPACE), loop.message(SPACE, 'users/3'));
    loop.clock.set('2026-05-04T07:00:00Z');

    const [a, b] = await Promise.all([loop.runTick(), loop.runTick()]);
    const again = await loop.runTick();
    const jobs = [...a, ...b, ...again];
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.jobId))).toEqual(
      new Set([digestId(SPACE, '2026-05-04T07:00:00Z')]),
    );

    const outcomes = await Promise.all(jobs.map((j) => loop.runJob(j)));
    expect(outcomes.filter((o) => o === 'posted').length).toBeGreaterThanOrEqual(1);
    expect(loop.made).toHaveLength(1);
    const posted = (await loop.log.readStream(spaceStream(SPACE))).filter(
      (e) => e.type === 'DigestPosted',
    );
    expect(posted).toHaveLength(1);

    // A tick after the digest was recorded finds nothing due.
    expect(await loop.runTick()).toEqual([]);
  });

  it('after a crash between posting and recording, a retry leaves one message and an advanced checkpoint', async () => {
    let failNext = true;
    const crashing = (store: EventStore): EventStore => ({
      ...store,
      append: async (event, options) => {
        if (event.type === 'DigestPosted' && failNext) {
          failNext = false;
          throw new SpacelogError('unavailable', 'instance died');
        }
        return store.append(event, options);
      },
    });
    const loop = digestLoop('2026-05-04T06:00:00Z', crashing);
    await loop.setUp(SPACE);
    await loop.append(loop.message(SPACE), loop.message(SPACE));
    const lastBefore = await loop.log.streamVersion(spaceStream(SPACE));
    loop.clock.set('2026-05-04T07:00:00Z');

    const [job] = await loop.runTick();
    await expect(loop.runJob(job!)).rejects.toThrow('instance died');
    expect(loop.made).toHaveLength(1);

    // Pub/Sub delivers the job again.
    expect(await loop.runJob(job!)).toBe('posted');
    expect(loop.calls.create).toBe(2);
    expect(loop.made).toHaveLength(1);
    const schedule = await loop.projections.get('digestSchedules', spaceDocId(SPACE));
    expect(schedule?.lastCheckpointVersion).toBe(lastBefore);
    expect(schedule?.nextDueAt).toBe('2026-05-05T07:00:00.000Z');
  });

  it('leaves events recorded after the period end to the next digest, skipping none', async () => {
    const loop = digestLoop('2026-05-04T06:00:00Z');
    await loop.setUp(SPACE);
    await loop.append(loop.message(SPACE));
    loop.clock.set('2026-05-04T07:02:00Z');
    const late = loop.message(SPACE, 'users/9');
    await loop.append(late);
    await loop.tickAndRun();

    const first = (await loop.log.readStream(spaceStream(SPACE))).find(
      (e) => e.type === 'DigestPosted',
    );
    const lateVersion = (await loop.log.get(late.id))!.version;
    expect((first?.payload as { checkpointVersion: number }).checkpointVersion).toBe(
      lateVersion - 1,
    );

    loop.clock.set('2026-05-05T07:00:00Z');
    await loop.tickAndRun();
    expect(loop.made).toHaveLength(2);
    expect(loop.made[1]!.message.fallbackText).toContain('users/9: 1');
  });
});

describe('scheduled digest: spaces and settings', () => {
  it('posts no more digests to a space the app was removed from', async () => {
    const loop = digestLoop('2026-05-04T06:00:00Z');
    await loop.setUp(SPACE);
    loop.clock.set('2026-05-04T07:00:00Z');
    const [stale] = await loop.runTick();
    await loop.append(loop.removed(SPACE));

    expect(await loop.runJob(stale!)).toBe('not-scheduled');
    loop.clock.set('2026-05-06T07:00:00Z');
    expect(await loop.runTick()).toEqual([]);
    expect(loop.made).toHaveLength(0);
  });

  it('skips a quiet period when the space asks for nothing, and records it', async () => {
    const loop = digestLoop('2026-05-04T06:00:00Z');
    await loop.setUp(SPACE, { quiet: 'skip' });
    loop.clock.set('2026-05-04T07:00:00Z');
    expect(await loop.tickAndRun()).toEqual(['skipped-quiet']);
    expect(loop.made).toHaveLength(0);
    const schedule = await loop.projections.get('digestSchedules', spaceDocId(SPACE));
    expect(schedule?.nextDueAt).toBe('2026-05-05T07:00:00.000Z');
  });

  it('posts a short note for a quiet period by default, and through the webhook when set', async () => {
    const loop = digestLoop('2026-05-04T06:00:00Z');
    await loop.setUp(SPACE, { delivery: 'webhook' });
    loop.clock.set('2026-05-04T07:00:00Z');
    await loop.tickAndRun();
    expect(loop.made).toHaveLength(1);
    expect(loop.made[0]!.via).toBe('webhook');
    expect(loop.made[0]!.message.text).toMatch(/^No new activity in this space since/);
    expect(loop.made[0]!.message.cardsV2).toBeUndefined();
  });

  it('weekly digests fire on the chosen weekday only', async () => {
    const loop = digestLoop('2026-05-04T06:00:00Z');
    await loop.setUp(SPACE, { cadence: 'weekly', weekday: 3, timeOfDay: '17:30' });
    await runUntil(loop, '2026-05-18T00:00:00Z');
    expect(loop.made.map((m) => berlin(m.at))).toEqual(['2026-05-06 17:30', '2026-05-13 17:30']);
  });
});

describe('digest on demand (/digest now)', () => {
  const now = (periodEnd: string) => ({
    command: 'PostDigest' as const,
    space: SPACE,
    periodEnd,
    jobId: digestId(SPACE, periodEnd),
    onDemand: true as const,
  });

  it('posts what happened since the last digest, once per request, and the next digest starts there', async () => {
    const loop = digestLoop('2026-05-04T05:00:00Z');
    await loop.setUp(SPACE, { quiet: 'skip' });
    await loop.append(loop.message(SPACE, 'users/2'), loop.message(SPACE, 'users/3'));
    loop.clock.set('2026-05-04T06:30:00Z');

    const job = now('2026-05-04T06:30:00.000Z');
    expect(await loop.runJob(job)).toBe('posted');
    expect(await loop.runJob(job)).toBe('already-recorded');
    expect(loop.made).toHaveLength(1);
    expect(loop.made[0]!.message.text).toContain('2 messages from 2 people');

    await loop.append(loop.message(SPACE, 'users/9'));
    loop.clock.set('2026-05-04T07:00:00Z');
    await loop.tickAndRun();
    expect(loop.made).toHaveLength(2);
    expect(loop.made[1]!.message.text).toContain('1 message from 1 person');
    expect(loop.made[1]!.message.fallbackText).toContain('users/9: 1');
  });

  it('posts a quiet note even where quiet periods are skipped, but nothing once the app left', async () => {
    const loop = digestLoop('2026-05-04T05:00:00Z');
    await loop.setUp(SPACE, { quiet: 'skip', enabled: false });
    loop.clock.set('2026-05-04T06:00:00Z');
    expect(await loop.runJob(now('2026-05-04T06:00:00.000Z'))).toBe('posted');
    expect(loop.made[0]!.message.text).toMatch(/^No new activity/);

    await loop.append(loop.removed(SPACE));
    loop.clock.set('2026-05-04T06:10:00Z');
    expect(await loop.runJob(now('2026-05-04T06:10:00.000Z'))).toBe('not-scheduled');
    expect(loop.made).toHaveLength(1);
  });
});
