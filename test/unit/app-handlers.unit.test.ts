/**
 * The handler API: routing by kind, command id and action; middleware
 * order; the error hook; default replies of the right shape; recording
 * before dispatch, idempotent by the interaction's id; a handler re-run
 * when its decision was made on a stale stream version.
 */
import { describe, expect, it } from 'vitest';
import { createChatApp } from '../../shared/app/app.js';
import type { AppServices } from '../../shared/app/types.js';
import { manualClock } from '../../shared/clock.js';
import { SpacelogError } from '../../shared/errors.js';
import { createMemoryEventStore, spaceStream } from '../../shared/eventlog/index.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { replies } from '../../shared/interaction/reply.js';
import { createLogger, silentLogger } from '../../shared/log.js';
import {
  classic,
  classicClick,
  classicSlash,
  everyKind,
  message,
} from '../support/chat-interactions.js';

function services(): AppServices & { events: ReturnType<typeof createMemoryEventStore> } {
  return {
    events: createMemoryEventStore(),
    publisher: { publish: () => Promise.resolve('1') },
    clock: manualClock('2026-03-01T09:00:00Z'),
    logger: silentLogger,
  };
}

const mention = () => parseInteraction(classic('MESSAGE', { message: message('@app hi') }));

describe('createChatApp', () => {
  it('routes by kind, command id and action, and falls back from an app command to the slash one', async () => {
    const app = createChatApp(services())
      .onMention(() => replies.text('mention'))
      .onSlashCommand('7', () => replies.text('slash 7'))
      .onCardClick('go', () => replies.text('go clicked'));
    const text = async (body: Record<string, unknown>) => {
      const { reply } = await app.handle(parseInteraction(body), 'http');
      return reply.kind === 'message' ? reply.message.text : reply.kind;
    };
    expect(await text(classic('MESSAGE', { message: message('@app hi') }))).toBe('mention');
    expect(await text(classicSlash('7'))).toBe('slash 7');
    expect(
      await text(
        classic('APP_COMMAND', {
          appCommandMetadata: { appCommandId: '7', appCommandType: 'QUICK_COMMAND' },
        }),
      ),
    ).toBe('slash 7');
    expect(await text(classicClick('go'))).toBe('go clicked');
  });

  it('answers what nothing handles with a reply of the right shape for its kind', async () => {
    const app = createChatApp(services());
    const kinds = new Map<string, string>();
    for (const c of everyKind()) {
      const { reply } = await app.handle(parseInteraction(c.body), 'http');
      kinds.set(c.kind, reply.kind);
    }
    expect(Object.fromEntries(kinds)).toEqual({
      message: 'message',
      mention: 'message',
      'slash-command': 'message',
      'app-command': 'message',
      'added-to-space': 'nothing',
      'removed-from-space': 'nothing',
      'card-click': 'message',
      dialog: 'dialog-close',
      'widget-update': 'update-widget',
      'app-home': 'nothing',
      unknown: 'nothing',
    });
    const open = await app.handle(
      parseInteraction(everyKind().find((c) => c.name === 'dialog request')!.body),
      'http',
    );
    expect(open.reply.kind).toBe('dialog-open');
  });

  it('runs middleware in registration order around the handler', async () => {
    const order: string[] = [];
    const app = createChatApp(services())
      .use(async (_c, next) => {
        order.push('outer in');
        const r = await next();
        order.push('outer out');
        return r;
      })
      .use(async (_c, next) => {
        order.push('inner');
        return next();
      })
      .onMention(() => {
        order.push('handler');
        return replies.nothing();
      });
    await app.handle(mention(), 'http');
    expect(order).toEqual(['outer in', 'inner', 'handler', 'outer out']);
  });

  it('lets middleware answer without calling the handler', async () => {
    const app = createChatApp(services())
      .use(() => Promise.resolve(replies.text('stopped')))
      .onMention(() => replies.text('handler'));
    const { reply } = await app.handle(mention(), 'http');
    expect(reply).toEqual(replies.text('stopped'));
  });

  it('gives a handler error to the error hook, whose reply is the answer', async () => {
    const seen: string[] = [];
    const app = createChatApp(services())
      .onMention(() => {
        throw new SpacelogError('forbidden', 'No.');
      })
      .onError((error) => {
        seen.push(error.code);
        return replies.text('sorry');
      });
    const { reply } = await app.handle(mention(), 'http');
    expect(seen).toEqual(['forbidden']);
    expect(reply).toEqual(replies.text('sorry'));
  });

  it('rethrows a handler error as a coded error when no hook answers', async () => {
    const app = createChatApp(services()).onMention(() => {
      throw new Error('boom');
    });
    await expect(app.handle(mention(), 'http')).rejects.toMatchObject({ code: 'internal' });
  });

  it('records the interaction before the handler runs, once per delivery', async () => {
    const s = services();
    let versionSeen = -1;
    const app = createChatApp(s).onMention(async (c) => {
      versionSeen = await s.events.streamVersion(spaceStream(c.interaction.space.name));
      return replies.text(`first: ${c.firstDelivery}`);
    });
    const i = mention();
    const first = await app.handle(i, 'http');
    const retry = await app.handle(i, 'pubsub');
    expect(versionSeen).toBe(1);
    expect(s.events.size).toBe(1);
    expect([first.firstDelivery, retry.firstDelivery]).toEqual([true, false]);
    const recorded = await s.events.get(i.id);
    expect(recorded).toMatchObject({
      type: 'InteractionReceived',
      payload: { kind: 'mention', via: 'http' },
    });
    expect(recorded?.payload).not.toHaveProperty('text');
  });

  it('runs arrival hooks before recording, and records despite a hook that throws', async () => {
    const s = services();
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => void lines.push(line) });
    const seen: number[] = [];
    const app = createChatApp({ ...s, logger })
      .onArrival((i, sv) => {
        void sv.events.streamVersion(spaceStream(i.space.name)).then((v) => seen.push(v));
      })
      .onArrival(() => {
        throw new Error('a broken hook');
      })
      .onMention(() => replies.text('ok'));
    const handled = await app.handle(mention(), 'http');
    expect(seen).toEqual([0]);
    expect(handled.firstDelivery).toBe(true);
    expect(lines.map((l) => JSON.parse(l) as { message: string; severity: string })).toEqual([
      expect.objectContaining({ message: 'An arrival hook failed.', severity: 'WARNING' }),
    ]);
  });

  it('records caused events under ids derived from the interaction, once', async () => {
    const s = services();
    const app = createChatApp(s).onMention(async (c) => {
      const e = await c.record('AppRemovedFromSpace', { spaceName: c.interaction.space.name });
      return replies.text(e.id);
    });
    const i = mention();
    const a = await app.handle(i, 'http');
    const b = await app.handle(i, 'http');
    expect(a.reply).toEqual(replies.text(`${i.id}.AppRemovedFromSpace`));
    expect(b.reply).toEqual(a.reply);
    expect(s.events.size).toBe(2);
  });

  it('re-runs a handler whose decision was made on a stale stream version', async () => {
    const s = services();
    let runs = 0;
    const app = createChatApp(s).onMention(async (c) => {
      runs += 1;
      const stream = spaceStream(c.interaction.space.name);
      const version = await s.events.streamVersion(stream);
      if (runs === 1) {
        await s.events.append({
          id: 'meanwhile',
          stream,
          type: 'AppRemovedFromSpace',
          occurredAt: '2026-03-01T09:00:00Z',
          causedBy: { kind: 'app' },
          payload: { spaceName: c.interaction.space.name },
        });
      }
      await c.record(
        'AppRemovedFromSpace',
        { spaceName: c.interaction.space.name },
        { expectedVersion: version },
      );
      return replies.text(`runs ${runs}`);
    });
    const { reply } = await app.handle(mention(), 'http');
    expect(reply).toEqual(replies.text('runs 2'));
  });
});
