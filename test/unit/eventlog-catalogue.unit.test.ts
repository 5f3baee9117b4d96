/**
 * The event catalogue: every type validates an example payload, is refused
 * on the wrong stream kind, and a refusal names the field but not the value.
 */
import { describe, expect, it } from 'vitest';
import { SpacelogError } from '../../shared/errors.js';
import {
  CATALOGUE,
  definitionOf,
  incidentStream,
  spaceNameOf,
  spaceStream,
  streamKindOf,
  userStream,
  validateNewEvent,
  type EventType,
  type PayloadOf,
  type StreamId,
} from '../../shared/eventlog/index.js';

const S = 'spaces/AAA';
const T = '2026-03-01T10:00:00.000Z';

/** One valid payload per type; a type added to the catalogue must add one here. */
const EXAMPLES: { [K in EventType]: PayloadOf<K> } = {
  AppAddedToSpace: {
    spaceName: S,
    spaceType: 'SPACE',
    displayName: 'Ops',
    timeZone: 'Asia/Kolkata',
  },
  AppRemovedFromSpace: { spaceName: S },
  InteractionReceived: {
    kind: 'slash-command',
    format: 'add-on',
    via: 'pubsub',
    spaceName: S,
    userName: 'users/1',
    commandId: '2',
    textLength: 7,
  },
  DigestSettingsChanged: {
    enabled: true,
    cadence: 'weekly',
    weekday: 7,
    timeOfDay: '23:59',
    timeZone: 'Australia/Adelaide',
    quiet: 'skip',
    delivery: 'webhook',
  },
  MessagePosted: { messageName: `${S}/messages/1`, requestId: 'r1', purpose: 'reply' },
  DigestPosted: {
    periodStart: T,
    periodEnd: T,
    checkpointVersion: 0,
    requestId: 'r2',
    delivery: 'api',
  },
  DigestSkipped: { periodStart: T, periodEnd: T, checkpointVersion: 3, reason: 'quiet' },
  MemberJoined: { member: 'users/2', memberType: 'HUMAN' },
  MemberLeft: { member: 'users/2' },
  SpaceMessageCreated: { messageName: `${S}/messages/2`, sender: 'users/2', textLength: 0 },
  SpaceMessageUpdated: { messageName: `${S}/messages/2` },
  SpaceMessageDeleted: { messageName: `${S}/messages/2` },
  ReactionAdded: { messageName: `${S}/messages/2`, user: 'users/3', emoji: '👍' },
  ReactionRemoved: { messageName: `${S}/messages/2`, user: 'users/3' },
  EventsSubscriptionCreated: { subscriptionName: 'subscriptions/x', expireTime: T },
  EventsSubscriptionRenewed: { subscriptionName: 'subscriptions/x', expireTime: T },
  EventsSubscriptionLapsed: { subscriptionName: 'subscriptions/x', reason: 'expired' },
  IncidentOpened: { title: 'Down', source: 'command', responders: [], requestedBy: 'users/1' },
  IncidentSpaceCreated: { spaceName: 'spaces/INC', mode: 'delegated' },
  IncidentResponderAdded: { member: 'users/4' },
  IncidentDetailsPosted: { messageName: 'spaces/INC/messages/1' },
  IncidentAcknowledged: { by: 'users/4' },
  IncidentResolved: { source: 'command' },
  IncidentResolutionPosted: { messageName: 'spaces/INC/messages/2' },
  UserGrantRecorded: { scopes: ['a'], requestedScopes: ['a', 'b'], keyId: 'k' },
  UserGrantRevoked: { reason: 'invalid_grant' },
};

function streamFor(type: EventType): StreamId {
  const kind = definitionOf(type)?.streams[0];
  return kind === 'incident'
    ? incidentStream('k')
    : kind === 'user'
      ? userStream('users/1')
      : spaceStream(S);
}

function attempt(type: string, stream: StreamId, payload: unknown, storeMessageText = false) {
  return () =>
    validateNewEvent(
      { id: 'e1', stream, type, occurredAt: T, causedBy: { kind: 'system', id: 'test' }, payload },
      { storeMessageText },
    );
}

function refusal(run: () => unknown): SpacelogError {
  try {
    run();
  } catch (err) {
    if (err instanceof SpacelogError) return err;
  }
  throw new Error('expected a refusal');
}

describe('event catalogue', () => {
  it.each(Object.keys(CATALOGUE) as EventType[])(
    'accepts a valid %s on its stream only',
    (type) => {
      const valid = attempt(type, streamFor(type), EXAMPLES[type])();
      expect(valid.schemaVersion).toBe(definitionOf(type)?.schemaVersion);
      expect(valid.event.payload).toEqual(EXAMPLES[type]);
      const elsewhere = streamFor(type).startsWith('space:')
        ? userStream('users/9')
        : spaceStream(S);
      expect(refusal(attempt(type, elsewhere, EXAMPLES[type])).details['field']).toBe('stream');
    },
  );

  it('names the failing field path and never the value', () => {
    const payload = { ...EXAMPLES.DigestSettingsChanged, timeZone: 'Mars/Olympus_Mons' };
    const err = refusal(attempt('DigestSettingsChanged', spaceStream(S), payload));
    expect(err.code).toBe('invalid-input');
    expect(err.message).toContain('DigestSettingsChanged');
    expect(err.details['field']).toBe('payload.timeZone');
    expect(JSON.stringify({ m: err.message, d: err.details })).not.toContain('Olympus');

    const nested = { ...EXAMPLES.IncidentOpened, responders: ['users/1', 42] };
    const inArray = refusal(attempt('IncidentOpened', incidentStream('k'), nested));
    expect(inArray.details['field']).toBe('payload.responders.1');
  });

  it('refuses envelopes without an id, with a bad time or an unknown actor', () => {
    const base = {
      id: 'e1',
      stream: spaceStream(S),
      type: 'MemberLeft',
      occurredAt: T,
      causedBy: { kind: 'app' as const },
      payload: { member: 'users/2' },
    };
    const check = (event: unknown) =>
      refusal(() => validateNewEvent(event as typeof base, { storeMessageText: false }));
    expect(check({ ...base, id: '' }).details['field']).toBe('id');
    expect(check({ ...base, occurredAt: 'yesterday' }).details['field']).toBe('occurredAt');
    expect(check({ ...base, causedBy: { kind: 'robot' } }).details['field']).toBe('causedBy.kind');
  });

  it('keeps text only when asked, and refuses text where the type has none', () => {
    const payload = { ...EXAMPLES.SpaceMessageCreated, text: 'hello' };
    const dropped = attempt('SpaceMessageCreated', spaceStream(S), payload)();
    expect(dropped.event.payload).not.toHaveProperty('text');
    const kept = attempt('SpaceMessageCreated', spaceStream(S), payload, true)();
    expect(kept.event.payload).toHaveProperty('text', 'hello');
    const stray = { ...EXAMPLES.MemberLeft, text: 'x' };
    expect(refusal(attempt('MemberLeft', spaceStream(S), stray, true)).details['field']).toBe(
      'payload.text',
    );
  });

  it('makes stream ids from Chat resource names', () => {
    expect(spaceStream('spaces/AAA')).toBe('space:AAA');
    expect(userStream('users/123')).toBe('user:123');
    expect(incidentStream('db-down')).toBe('incident:db-down');
    expect(spaceNameOf('space:AAA')).toBe('spaces/AAA');
    expect(streamKindOf('app')).toBe('app');
    expect(streamKindOf('space:')).toBeUndefined();
    expect(streamKindOf('room:1')).toBeUndefined();
  });
});
