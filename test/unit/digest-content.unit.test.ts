import { describe, expect, it } from 'vitest';
import { renderDigest, sizeOf } from '../../shared/digest/render.js';
import { isQuiet, summarize } from '../../shared/digest/summary.js';
import {
  createMemoryEventStore,
  newEvent,
  spaceStream,
  type NewEvent,
  type RecordedEvent,
} from '../../shared/eventlog/index.js';

const SPACE = 'spaces/AAA';
const stream = spaceStream(SPACE);
const user = (id: string) => ({ kind: 'user', id }) as const;
let n = 0;
const at = '2026-05-04T06:00:00Z';

const created = (sender: string, thread?: string, name = `${SPACE}/messages/m${++n}`) =>
  newEvent('SpaceMessageCreated', {
    id: `chat:${name}:created`,
    stream,
    occurredAt: at,
    causedBy: user(sender),
    payload: { messageName: name, sender, textLength: 3, ...(thread && { threadName: thread }) },
  });

async function recorded(list: NewEvent[]): Promise<readonly RecordedEvent[]> {
  const store = createMemoryEventStore();
  for (const e of list) await store.append(e);
  return store.readStream(stream, { limit: 10_000 });
}

describe('digest summary', () => {
  it('counts a message once whether it came as an interaction or a Workspace Event', async () => {
    const name = `${SPACE}/messages/dup`;
    const events = await recorded([
      newEvent('InteractionReceived', {
        id: 'ix-1',
        stream,
        occurredAt: at,
        causedBy: user('users/2'),
        payload: {
          kind: 'slash-command',
          format: 'classic',
          via: 'http',
          spaceName: SPACE,
          userName: 'users/2',
          messageName: name,
          commandName: '/digest',
          commandId: '2',
        },
      }),
      created('users/2', undefined, name),
      created('users/3', `${SPACE}/threads/T1`),
      created('users/3', `${SPACE}/threads/T1`),
    ]);
    const s = summarize(events);
    expect(s.messages).toBe(3);
    expect(s.people).toEqual([
      { name: 'users/3', count: 2 },
      { name: 'users/2', count: 1 },
    ]);
    expect(s.threads).toEqual([{ name: `${SPACE}/threads/T1`, count: 2 }]);
    expect(s.commands).toEqual([{ name: '/digest', count: 1 }]);
  });

  it("leaves out Spacelog's own posts and nets out members who joined and left", async () => {
    const own = `${SPACE}/messages/own`;
    const member = (type: 'MemberJoined' | 'MemberLeft', m: string) =>
      newEvent(type, {
        id: `${type}-${m}-${++n}`,
        stream,
        occurredAt: at,
        causedBy: { kind: 'system', id: 'workspace-events' },
        payload: { member: m },
      });
    const events = await recorded([
      newEvent('MessagePosted', {
        id: 'p-1',
        stream,
        occurredAt: at,
        causedBy: { kind: 'app' },
        payload: { messageName: own, requestId: 'r', purpose: 'reply' },
      }),
      created('users/app', undefined, own),
      member('MemberJoined', 'users/5'),
      member('MemberJoined', 'users/6'),
      member('MemberLeft', 'users/6'),
      member('MemberLeft', 'users/7'),
    ]);
    const s = summarize(events);
    expect(s.messages).toBe(0);
    expect(s.joined).toEqual(['users/5']);
    expect(s.left).toEqual(['users/7']);
    expect(isQuiet(s)).toBe(false);
    expect(isQuiet(summarize([]))).toBe(true);
  });
});

describe('digest rendering', () => {
  const period = {
    periodStart: new Date('2026-03-28T08:00:00Z'),
    periodEnd: new Date('2026-03-29T07:00:00Z'),
    timeZone: 'Europe/Berlin',
  };

  it('shows the period in the space time zone, as a card with a text fallback', async () => {
    const s = summarize(await recorded([created('users/2'), created('users/2')]));
    const { message, trimmed } = renderDigest({
      ...period,
      summary: s,
      spaceDisplayName: 'Ops',
      names: new Map([['users/2', 'Alice']]),
    });
    expect(trimmed).toBe(false);
    expect(message.cardsV2?.[0]?.card?.header?.subtitle).toBe(
      'Sat 28 Mar, 09:00 – Sun 29 Mar, 09:00 (Europe/Berlin)',
    );
    expect(message.text).toBe(
      'Digest: Ops: 2 messages from 1 person; 0 edited, 0 deleted, 0 reactions.',
    );
    expect(message.fallbackText).toContain('Most active:\n- Alice: 2');
  });

  it('trims a digest bigger than Chat allows, with "and N more", and stays under the limit', async () => {
    const people = Array.from({ length: 400 }, (_, i) => `users/${1000 + i}`);
    const member = (type: 'MemberJoined' | 'MemberLeft', m: string) =>
      newEvent(type, {
        id: `${type}-${m}`,
        stream,
        occurredAt: at,
        causedBy: { kind: 'system', id: 'workspace-events' },
        payload: { member: m },
      });
    const s = summarize(
      await recorded([
        ...people.flatMap((p) => [
          created(p, `${SPACE}/threads/${p.slice(6)}`),
          created(p, `${SPACE}/threads/${p.slice(6)}`),
        ]),
        ...people.map((p) => member('MemberJoined', `${p}0`)),
        ...people.map((p) => member('MemberLeft', `${p}1`)),
      ]),
    );
    const long = (p: string) => `${'Very long display name '.repeat(8)}${p}`;
    const names = new Map(
      people.flatMap(
        (p) =>
          [
            [p, long(p)],
            [`${p}0`, long(p)],
            [`${p}1`, long(p)],
          ] as const,
      ),
    );
    const untrimmedBytes = sizeOf(
      renderDigest({ ...period, summary: s, names }, 10_000_000).message,
    );
    expect(untrimmedBytes).toBeGreaterThan(32_000);

    const { message, trimmed, bytes } = renderDigest({ ...period, summary: s, names });
    expect(trimmed).toBe(true);
    expect(bytes).toBeLessThanOrEqual(30_000);
    expect(bytes).toBe(sizeOf(message));
    expect(message.fallbackText).toMatch(/and \d+ more/);
    expect(message.fallbackText).toContain('800 messages from 400 people');
  });

  it('escapes names in the card', async () => {
    const s = summarize(await recorded([created('users/2')]));
    const { message } = renderDigest({
      ...period,
      summary: s,
      names: new Map([['users/2', '<b>x</b>']]),
    });
    expect(JSON.stringify(message.cardsV2)).toContain('&lt;b&gt;x&lt;/b&gt;');
  });
});
