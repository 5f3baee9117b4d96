import { describe, expect, it } from 'vitest';
import { createChatApp } from '../../shared/app/app.js';
import { manualClock } from '../../shared/clock.js';
import { createMemoryEventStore, incidentStream } from '../../shared/eventlog/index.js';
import {
  ACKNOWLEDGE_ACTION,
  acknowledgeHandler,
  handleAlert,
} from '../../shared/incidents/index.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { silentLogger } from '../../shared/log.js';
import { fakeIncidentChat } from '../support/fake-incident-chat.js';

const AT = '2026-03-01T10:00:00.000Z';

/** Alice clicks Acknowledge on the details card of incident `key`. */
const click = (key: string) =>
  parseInteraction({
    type: 'CARD_CLICKED',
    eventTime: '2026-03-01T10:05:00.000Z',
    space: { name: 'spaces/S1', spaceType: 'SPACE' },
    user: { name: 'users/101', displayName: 'Alice', type: 'HUMAN' },
    message: { name: 'spaces/S1/messages/M1' },
    common: {
      invokedFunction: ACKNOWLEDGE_ACTION,
      parameters: { actionName: ACKNOWLEDGE_ACTION, incidentKey: key },
    },
  });

describe('the Acknowledge button without user sign-in', () => {
  const setup = async () => {
    const events = createMemoryEventStore();
    const clock = manualClock(AT);
    await handleAlert(
      {
        events,
        chat: fakeIncidentChat(),
        clock,
        logger: silentLogger,
        settings: { mode: 'app', appScopesApproved: true, responders: [] },
      },
      { key: 'k1', format: 'spacelog', status: 'firing', title: 'Down', responders: [] },
      AT,
    );
    const app = createChatApp({
      events,
      clock,
      logger: silentLogger,
      publisher: { publish: () => Promise.resolve('1') },
    }).onCardClick(ACKNOWLEDGE_ACTION, acknowledgeHandler({}));
    return { events, app };
  };

  it('records who acknowledged, once however often the click is delivered, and says so', async () => {
    const { events, app } = await setup();
    const first = await app.handle(click('k1'), 'pubsub');
    await app.handle(click('k1'), 'http');

    expect(first.reply).toEqual({
      kind: 'message',
      message: { text: 'Incident acknowledged by Alice.' },
    });
    const acks = (await events.readStream(incidentStream('k1'))).filter(
      (e) => e.type === 'IncidentAcknowledged',
    );
    expect(acks).toMatchObject([{ payload: { by: 'users/101' } }]);
  });

  it('answers privately that the button is out of date for an incident it does not know', async () => {
    const { events, app } = await setup();
    const { reply } = await app.handle(click('no-such-incident'), 'pubsub');
    expect(reply).toMatchObject({ kind: 'message', message: { privateTo: 'users/101' } });
    expect(await events.streamVersion(incidentStream('no-such-incident'))).toBe(0);
  });
});
