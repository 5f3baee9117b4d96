/**
 * What Spacelog's one app builder registers for features that act as the
 * user, over an in-memory log and a fake sign-in: the not-enabled answers
 * and app-side Acknowledge without sign-in; `/signout`, `/myspaces` and the
 * `/incident` grant gate with it, sign-in loaded only by what uses it; and
 * when sign-in runs at all.
 */
import { describe, expect, it } from 'vitest';
import {
  buildSpacelogApp,
  loadOnce,
  streamDigestSettings,
  userSignInEnabled,
} from '../../shared/app/spacelog/index.js';
import { manualClock } from '../../shared/clock.js';
import { loadConfig } from '../../shared/config.js';
import { createMemoryEventStore, incidentStream, newEvent } from '../../shared/eventlog/index.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import type { Reply } from '../../shared/interaction/reply.js';
import { silentLogger } from '../../shared/log.js';
import type { ChatClient } from '../../shared/outbound/index.js';
import type { UserFeatureDeps } from '../../shared/user-auth/commands.js';
import type { GateResult } from '../../shared/user-auth/gate.js';
import { classicClick, classicSlash, IDS } from '../support/chat-interactions.js';

const SIGN_IN: GateResult = {
  kind: 'sign-in',
  authorizationUrl: 'https://a.test/auth',
  missing: [],
};

/** Spacelog with sign-in answering `gate` (or without sign-in when `gate` is undefined). */
function spacelog(options: { gate?: GateResult; mode?: 'app' | 'user' } = {}) {
  const events = createMemoryEventStore();
  const published: string[] = [];
  const calls: string[] = [];
  let loads = 0;
  const config = loadConfig({
    COMMAND_ID_HELP: IDS.help,
    COMMAND_ID_INCIDENT: IDS.incident,
    COMMAND_ID_SIGNOUT: IDS.signout,
    COMMAND_ID_MYSPACES: IDS.myspaces,
    INCIDENT_SPACE_MODE: options.mode ?? 'app',
  });
  const chat = {
    listSpaces: () => {
      calls.push('listSpaces');
      return Promise.resolve({ spaces: [{ name: 'spaces/X', displayName: 'Ops' }] });
    },
    createReaction: () => {
      calls.push('createReaction');
      return Promise.resolve({});
    },
  } as unknown as ChatClient;
  const features: UserFeatureDeps = {
    gate: () => Promise.resolve(options.gate ?? { kind: 'ready' }),
    chat,
    signOut: () => {
      calls.push('signOut');
      return Promise.resolve(true);
    },
  };
  const app = buildSpacelogApp(
    {
      events,
      publisher: {
        publish: (topic) => {
          published.push(topic);
          return Promise.resolve('1');
        },
      },
      clock: manualClock('2026-03-01T09:00:00Z'),
      logger: silentLogger,
      digestSettings: streamDigestSettings(events),
      config,
    },
    options.gate === undefined
      ? undefined
      : () => {
          loads += 1;
          return Promise.resolve(features);
        },
  );
  const handle = async (body: Record<string, unknown>, via: 'http' | 'pubsub' = 'http') =>
    (await app.handle(parseInteraction(body), via)).reply;
  return { app, events, published, calls, handle, loads: () => loads };
}

const textOf = (reply: Reply) => (reply.kind === 'message' ? reply.message.text : reply.kind);

async function openedIncident(events: ReturnType<typeof createMemoryEventStore>, key: string) {
  await events.append(
    newEvent('IncidentOpened', {
      id: `${key}.opened`,
      stream: incidentStream(key),
      occurredAt: '2026-03-01T08:00:00Z',
      causedBy: { kind: 'system', id: 'alerts' },
      payload: { title: 'Checkout down', source: 'alert', responders: [] },
    }),
  );
}

describe('Spacelog without user sign-in', () => {
  it('says /signout and /myspaces are not enabled', async () => {
    const s = spacelog();
    expect(textOf(await s.handle(classicSlash(IDS.signout)))).toMatch(/not enabled/);
    expect(textOf(await s.handle(classicSlash(IDS.myspaces, '', 1)))).toMatch(/not enabled/);
  });

  it('records an Acknowledge click and says who acknowledged', async () => {
    const s = spacelog();
    await openedIncident(s.events, 'inc-1');
    const reply = await s.handle(classicClick('incident.acknowledge', { incidentKey: 'inc-1' }));
    expect(textOf(reply)).toBe('Incident acknowledged by Ada.');
    const types = (await s.events.readStream(incidentStream('inc-1'))).map((e) => e.type);
    expect(types).toContain('IncidentAcknowledged');
  });

  it('answers an Acknowledge click on an unknown incident that the button is out of date', async () => {
    const s = spacelog();
    const reply = await s.handle(classicClick('incident.acknowledge', { incidentKey: 'nope' }));
    expect(textOf(reply)).toBe('That button is out of date.');
  });
});

describe('Spacelog with user sign-in', () => {
  it('signs out and lists spaces as the user, loading sign-in only for them', async () => {
    const s = spacelog({ gate: { kind: 'ready' } });
    await s.handle(classicSlash(IDS.help));
    expect(s.loads()).toBe(0);

    expect(textOf(await s.handle(classicSlash(IDS.signout, '', 1)))).toMatch(/^Signed out/);
    expect(textOf(await s.handle(classicSlash(IDS.myspaces, '', 2)))).toContain('• Ops');
    expect(s.calls).toEqual(['signOut', 'listSpaces']);
  });

  it('acknowledges as the user, with a reaction', async () => {
    const s = spacelog({ gate: { kind: 'ready' } });
    await openedIncident(s.events, 'inc-2');
    const reply = await s.handle(classicClick('incident.acknowledge', { incidentKey: 'inc-2' }));
    expect(textOf(reply)).toBe('Acknowledged.');
    expect(s.calls).toEqual(['createReaction']);
  });

  it('asks for a grant before /incident when incidents are opened as the user, on both paths', async () => {
    const s = spacelog({ gate: SIGN_IN, mode: 'user' });
    const overHttp = await s.handle(classicSlash(IDS.incident, ' Checkout down'));
    expect(overHttp).toMatchObject({
      kind: 'request-config',
      authorizationUrl: 'https://a.test/auth',
    });
    const overPubsub = await s.handle(classicSlash(IDS.incident, ' Checkout down', 1), 'pubsub');
    expect(textOf(overPubsub)).toContain('https://a.test/auth');
    expect(s.published).toEqual([]);
  });

  it('opens the incident at once when incidents are opened by the app', async () => {
    const s = spacelog({ gate: SIGN_IN, mode: 'app' });
    const reply = await s.handle(classicSlash(IDS.incident, ' Checkout down'));
    expect(textOf(reply)).toMatch(/^Opening incident/);
    expect(s.published).toEqual(['spacelog-alerts']);
    expect(s.loads()).toBe(0);
  });
});

describe('when user sign-in runs', () => {
  it.each([
    [{}, false],
    [{ oauthClientId: 'c', eventStore: 'firestore', incidentSpaceMode: 'app' }, true],
    [{ oauthClientId: 'c', eventStore: 'memory', incidentSpaceMode: 'app' }, false],
    [{ oauthClientId: 'c', eventStore: 'memory', incidentSpaceMode: 'user' }, true],
  ] as const)('%j: %s', (settings, enabled) => {
    const config = {
      oauthClientId: undefined,
      eventStore: 'firestore',
      incidentSpaceMode: 'app',
      ...settings,
    } as const;
    expect(userSignInEnabled(config)).toBe(enabled);
  });

  it('loads once, and again after a failed load', async () => {
    let attempts = 0;
    const load = loadOnce(() => {
      attempts += 1;
      return attempts === 1 ? Promise.reject(new Error('down')) : Promise.resolve(attempts);
    });
    await expect(load()).rejects.toThrow('down');
    expect(await Promise.all([load(), load()])).toEqual([2, 2]);
    expect(attempts).toBe(2);
  });
});
