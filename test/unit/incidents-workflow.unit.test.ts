import { describe, expect, it } from 'vitest';
import { manualClock } from '../../shared/clock.js';
import { SpacelogError } from '../../shared/errors.js';
import {
  createMemoryEventStore,
  incidentStream,
  type EventStore,
  type RecordedEvent,
} from '../../shared/eventlog/index.js';
import {
  handleAlert,
  handleOpenIncident,
  readIncident,
  type IncidentDeps,
  type IncidentSettings,
} from '../../shared/incidents/index.js';
import { silentLogger } from '../../shared/log.js';
import type { GateResult } from '../../shared/user-auth/gate.js';
import { fakeIncidentChat, type FakeChat } from '../support/fake-incident-chat.js';

const RESPONDERS = ['users/101', 'oncall@example.com'];
const APP: IncidentSettings = { mode: 'app', appScopesApproved: true, responders: ['users/900'] };
const AT = '2026-03-01T10:00:00.000Z';

const firing = {
  key: 'checkout-5xx',
  format: 'spacelog' as const,
  status: 'firing' as const,
  title: 'Checkout answers 5xx',
  severity: 'critical',
  summary: 'Error rate 12%.',
  link: 'https://grafana.example.com/d/checkout',
  responders: RESPONDERS,
};

/** A store whose append number `index` (0-based) fails, before or after it is written. */
function failingAppends(store: EventStore, index: number, afterWrite: boolean): EventStore {
  let n = 0;
  return {
    ...store,
    append: async (event, options) => {
      const mine = n++;
      if (mine === index && !afterWrite) throw new SpacelogError('unavailable', 'Injected.');
      const result = await store.append(event, options);
      if (mine === index) throw new SpacelogError('unavailable', 'Injected after write.');
      return result;
    },
  };
}

function world(settings: IncidentSettings = APP, gate?: (userId: string) => GateResult) {
  const events = createMemoryEventStore();
  const chat = fakeIncidentChat();
  const deps = (store: EventStore = events, c: FakeChat = chat): IncidentDeps => ({
    events: store,
    chat: c,
    clock: manualClock(AT),
    logger: silentLogger,
    settings,
    ...(gate && { gate: (request) => Promise.resolve(gate(request.userId)) }),
  });
  return { events, chat, deps };
}

async function incidentEvents(events: EventStore, key: string): Promise<RecordedEvent[]> {
  return [...(await events.readStream(incidentStream(key)))];
}

/** One space, each responder once, one details message, each step recorded once. */
async function expectCompleteOnce(events: EventStore, chat: FakeChat, key: string) {
  expect(chat.spaces.size).toBe(1);
  const [space] = [...chat.spaces.keys()];
  const members = chat.members.get(space ?? '') ?? [];
  expect(new Set(members).size).toBe(members.length);
  expect(members).toEqual(
    expect.arrayContaining(['users/101', 'users/oncall@example.com', 'users/900']),
  );
  const details = (chat.messages.get(space ?? '') ?? []).filter((m) => m.cardsV2 !== undefined);
  expect(details).toHaveLength(1);

  const types = (await incidentEvents(events, key)).map((e) => e.type);
  expect(types.filter((t) => t === 'IncidentOpened')).toHaveLength(1);
  expect(types.filter((t) => t === 'IncidentSpaceCreated')).toHaveLength(1);
  expect(types.filter((t) => t === 'IncidentResponderAdded')).toHaveLength(3);
  expect(types.filter((t) => t === 'IncidentDetailsPosted')).toHaveLength(1);
}

describe('opening an incident from an alert', () => {
  it('makes the space as the app, adds each responder, posts the details and records each step', async () => {
    const { events, chat, deps } = world();
    const result = await handleAlert(deps(), firing, AT);

    expect(result).toMatchObject({
      kind: 'open',
      outcome: { kind: 'opened', mode: 'app', responders: 3 },
    });
    await expectCompleteOnce(events, chat, 'checkout-5xx');
    const created = [...chat.spaces.values()][0];
    expect(created?.customer).toBe('customers/my_customer');
    expect(created?.displayName).toMatch(/^Incident: Checkout answers 5xx · [0-9a-f]{6}$/);
    const state = await readIncident(events, 'checkout-5xx');
    expect(state.opened).toMatchObject({
      title: firing.title,
      severity: 'critical',
      source: 'alert',
      alertKey: 'checkout-5xx',
    });
  });

  it('redelivered after a failure at any Chat call, before or after Chat applied it, ends complete once', async () => {
    const clean = world();
    await handleAlert(clean.deps(), firing, AT);
    const callCount = clean.chat.calls.length;
    expect(callCount).toBe(5); // space, three members, details

    for (let index = 0; index < callCount; index++) {
      for (const afterApply of [false, true]) {
        const { events, chat, deps } = world();
        chat.failCall(index, { afterApply });
        await expect(handleAlert(deps(), firing, AT)).rejects.toMatchObject({
          code: 'unavailable',
        });
        await handleAlert(deps(), firing, AT);
        await expectCompleteOnce(events, chat, 'checkout-5xx');
      }
    }
  });

  it('redelivered after a failed append at any step, before or after the write, ends complete once', async () => {
    const clean = world();
    await handleAlert(clean.deps(), firing, AT);
    const appendCount = (await incidentEvents(clean.events, 'checkout-5xx')).length;

    for (let index = 0; index < appendCount; index++) {
      for (const afterWrite of [false, true]) {
        const { events, chat, deps } = world();
        await expect(
          handleAlert(deps(failingAppends(events, index, afterWrite)), firing, AT),
        ).rejects.toMatchObject({ code: 'unavailable' });
        await handleAlert(deps(), firing, AT);
        await expectCompleteOnce(events, chat, 'checkout-5xx');
      }
    }
  });

  it('delivered three times at once, still makes one of everything', async () => {
    const { events, chat, deps } = world();
    await Promise.all([1, 2, 3].map(() => handleAlert(deps(), firing, AT)));
    await expectCompleteOnce(events, chat, 'checkout-5xx');
  });

  it('skips a responder Chat refuses for good and adds the others', async () => {
    const { events, chat, deps } = world();
    chat.refuseMember('users/101', 'not-found');
    await handleAlert(deps(), firing, AT);
    const types = (await incidentEvents(events, 'checkout-5xx')).map((e) => e.type);
    expect(types.filter((t) => t === 'IncidentResponderAdded')).toHaveLength(2);
    expect(types).toContain('IncidentDetailsPosted');
  });
});

describe('resolving an incident', () => {
  const resolved = { ...firing, status: 'resolved' as const };

  it('posts the resolution in the incident space once, however often the alert comes', async () => {
    const { events, chat, deps } = world();
    await handleAlert(deps(), firing, AT);
    await handleAlert(deps(), resolved, AT);
    await handleAlert(deps(), resolved, AT);

    const [space] = [...chat.spaces.keys()];
    const texts = (chat.messages.get(space ?? '') ?? []).map((m) => m.text ?? '');
    expect(texts.filter((t) => t.includes('is resolved'))).toHaveLength(1);
    const types = (await incidentEvents(events, 'checkout-5xx')).map((e) => e.type);
    expect(types.filter((t) => t === 'IncidentResolved')).toHaveLength(1);
    expect(types.filter((t) => t === 'IncidentResolutionPosted')).toHaveLength(1);
  });

  it('records a resolution that arrives before the opening alert, which then opens nothing', async () => {
    const { events, chat, deps } = world();
    await handleAlert(deps(), resolved, AT);
    const late = await handleAlert(deps(), firing, AT);
    expect(late).toMatchObject({ kind: 'open', outcome: { kind: 'resolved-before-open' } });
    expect(chat.spaces.size).toBe(0);
    expect((await incidentEvents(events, 'checkout-5xx')).map((e) => e.type)).toEqual([
      'IncidentResolved',
    ]);
  });
});

describe('/incident and the space modes', () => {
  const command = {
    command: 'OpenIncident' as const,
    incidentKey: 'inc-abc',
    title: 'Search is slow',
    requestedBy: 'users/101',
    originSpace: 'spaces/ORIGIN',
    format: 'classic' as const,
  };

  it('as a delegated user: sets the space up as that user, adds the app, reports back once', async () => {
    const settings: IncidentSettings = {
      mode: 'delegated',
      delegatedUser: 'ops@example.com',
      appScopesApproved: false,
      responders: [],
    };
    const { events, chat, deps } = world(settings);
    chat.messages.set('spaces/ORIGIN', []);
    await handleOpenIncident(deps(), command, AT);
    await handleOpenIncident(deps(), command, AT);

    const setUp = chat.calls.filter((c) => c.method === 'setUpSpace');
    expect(setUp[0]?.as).toEqual({ kind: 'delegated', subject: 'ops@example.com' });
    const [space] = [...chat.spaces.keys()];
    expect(chat.members.get(space ?? '')).toEqual([
      'users/ops@example.com',
      'users/app',
      'users/101',
    ]);
    const reports = chat.messages.get('spaces/ORIGIN') ?? [];
    expect(reports).toHaveLength(1);
    expect(reports[0]?.text).toMatch(/^Incident space created: Incident: Search is slow/);
    expect(await events.get('incident:inc-abc.report')).toMatchObject({ type: 'MessagePosted' });
  });

  it('as the asking user without a grant: asks them privately to sign in and opens nothing yet', async () => {
    const settings: IncidentSettings = { mode: 'user', appScopesApproved: false, responders: [] };
    const { events, chat, deps } = world(settings, () => ({
      kind: 'sign-in',
      authorizationUrl: 'https://accounts.example/sign-in',
      missing: ['chat.spaces.create'],
    }));
    chat.messages.set('spaces/ORIGIN', []);
    const outcome = await handleOpenIncident(deps(), command, AT);

    expect(outcome).toEqual({ kind: 'needs-sign-in' });
    expect(chat.spaces.size).toBe(0);
    const [asked] = chat.messages.get('spaces/ORIGIN') ?? [];
    expect(asked?.privateMessageViewer).toEqual({ name: 'users/101' });
    expect(asked?.text).toContain('https://accounts.example/sign-in');
    expect(await incidentEvents(events, 'inc-abc')).toHaveLength(0);
  });

  it('as the asking user with a grant: sets the space up as them and adds the app', async () => {
    const settings: IncidentSettings = { mode: 'user', appScopesApproved: false, responders: [] };
    const { chat, deps } = world(settings, () => ({ kind: 'ready' }));
    chat.messages.set('spaces/ORIGIN', []);
    await handleOpenIncident(deps(), command, AT);
    expect(chat.calls.find((c) => c.method === 'setUpSpace')?.as).toEqual({
      kind: 'user',
      userId: 'users/101',
    });
    expect(chat.calls.find((c) => c.member === 'users/app')?.as).toEqual({
      kind: 'user',
      userId: 'users/101',
    });
  });

  it('refuses an alert in user mode when neither a delegated user nor app scopes can make the space', async () => {
    const settings: IncidentSettings = { mode: 'user', appScopesApproved: false, responders: [] };
    const { deps } = world(settings);
    await expect(handleAlert(deps(), firing, AT)).rejects.toMatchObject({
      code: 'invalid-input',
      details: { reason: 'no-space-maker' },
    });
  });
});
