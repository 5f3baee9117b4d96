/**
 * fast-check arbitraries for the fuzz tests: arbitrary JSON, and near-valid
 * inputs made by mutating valid ones (a field deleted, replaced by a value of
 * another type or an extreme one, or an unexpected key added), which reach
 * far deeper into a parser than random JSON does; and the valid templates
 * they start from (Chat interaction events of both formats, alerts of both
 * shapes).
 */
import fc from 'fast-check';

type Json = unknown;

/** Marks a deletion in a mutation. */
const DELETE = Symbol('delete');

/** Values a mutation puts in place of a field: a JSON value, or DELETE. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(DELETE),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, false, '', 0, -1, 1e308, -1e308, 2 ** 53 + 1, {}, []),
  fc.constantFrom(
    'spaces/',
    'users/',
    'spaces/X',
    'users/1',
    'MESSAGE',
    'SLASH_COMMAND',
    'REQUEST_DIALOG',
  ),
  fc.constantFrom(
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '+275760-09-13T00:00:00Z',
    'not a date',
  ),
  fc.record({ seconds: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 30 })) }),
  fc.string({ minLength: 600, maxLength: 5000 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 5 }),
);

/** Keys a mutation may add to an object. */
const oddKey = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'type',
    'chat',
    'space',
    'name',
    'payload',
  ),
  fc.string({ maxLength: 12 }),
);

function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length === 0 ? [] : [prefix];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (typeof value === 'object' && value !== null) {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  }
  return here;
}

function setOwn(target: Record<string | number, Json>, key: string | number, value: Json): void {
  // defineProperty, so `__proto__` becomes a plain own key as JSON.parse makes it.
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function applyAt(
  root: Json,
  path: readonly (string | number)[],
  value: unknown /* a JSON value, or DELETE */,
): void {
  let node = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null) return;
    node = next as Record<string | number, Json>;
  }
  const last = path.at(-1);
  if (last === undefined) return;
  // JSON cannot give an array a named key.
  if (Array.isArray(node) && typeof last !== 'number') return;
  if (value === DELETE) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else {
    setOwn(node, last, value);
  }
}

/** Mutations of one of `templates`: 1 to 4 fields changed, deleted or added. */
export function nearValid(templates: readonly Json[]): fc.Arbitrary<Json> {
  return fc.constantFrom(...templates).chain((template) => {
    const where = paths(template);
    const change = fc.oneof(
      fc.record({ path: fc.constantFrom(...where), value: oddValue }),
      fc.record({
        path: fc
          .tuple(fc.constantFrom([] as (string | number)[], ...where), oddKey)
          .map(([p, k]) => [...p, k]),
        value: oddValue,
      }),
    );
    return fc.array(change, { minLength: 1, maxLength: 4 }).map((changes) => {
      const copy = structuredClone(template);
      for (const { path, value } of changes) applyAt(copy, path, value);
      return copy;
    });
  });
}

/** Any JSON value, shallow or deep. */
export const anyJson: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 4 });

const SPACE = { name: 'spaces/AAAA', spaceType: 'SPACE', displayName: 'Team' };
const USER = { name: 'users/123', displayName: 'Ada', type: 'HUMAN', email: 'ada@example.com' };
const TIME = '2026-03-01T10:00:00.000Z';
const MESSAGE = {
  name: 'spaces/AAAA/messages/M1',
  text: '/incident Checkout is down',
  argumentText: 'Checkout is down',
  thread: { name: 'spaces/AAAA/threads/T1' },
  slashCommand: { commandId: '3' },
  annotations: [
    { type: 'SLASH_COMMAND', slashCommand: { commandName: '/incident', commandId: '3' } },
    { type: 'USER_MENTION', userMention: { user: { name: 'users/app', type: 'BOT' } } },
  ],
};
const COMMON = {
  hostApp: 'CHAT',
  userLocale: 'en',
  timeZone: { id: 'Europe/Paris', offset: 3600000 },
  invokedFunction: 'digest.set',
  parameters: { actionName: 'digest.set', timeOfDay: '10:00', enabled: 'true' },
  formInputs: {
    title: { stringInputs: { value: ['a', 'b'] } },
    day: { dateInput: { msSinceEpoch: '1767225600000' } },
    at: { timeInput: { hours: 9, minutes: 30 } },
  },
};

/** Valid interaction events of both formats and most kinds. */
export const CHAT_EVENT_TEMPLATES: readonly Json[] = [
  { type: 'MESSAGE', eventTime: TIME, space: SPACE, user: USER, message: MESSAGE, common: COMMON },
  { type: 'ADDED_TO_SPACE', eventTime: TIME, space: SPACE, user: USER, common: COMMON },
  { type: 'REMOVED_FROM_SPACE', eventTime: TIME, space: { ...SPACE, type: 'DM' }, user: USER },
  {
    type: 'CARD_CLICKED',
    eventTime: TIME,
    space: SPACE,
    user: USER,
    message: MESSAGE,
    action: { actionMethodName: 'digest.set', parameters: [{ key: 'cadence', value: 'weekly' }] },
    common: COMMON,
    isDialogEvent: true,
    dialogEventType: 'SUBMIT_DIALOG',
  },
  {
    type: 'APP_COMMAND',
    eventTime: TIME,
    space: SPACE,
    user: USER,
    message: MESSAGE,
    appCommandMetadata: { appCommandId: 3, appCommandType: 'QUICK_COMMAND' },
  },
  {
    commonEventObject: COMMON,
    authorizationEventObject: { systemIdToken: 'x.y.z' },
    chat: {
      user: USER,
      eventTime: TIME,
      appCommandPayload: {
        appCommandMetadata: { appCommandId: '3', appCommandType: 'SLASH_COMMAND' },
        space: SPACE,
        message: MESSAGE,
        configCompleteRedirectUri: 'https://chat.google.com/done',
      },
    },
  },
  {
    commonEventObject: COMMON,
    chat: { user: USER, eventTime: TIME, messagePayload: { space: SPACE, message: MESSAGE } },
  },
  {
    commonEventObject: COMMON,
    chat: {
      user: USER,
      eventTime: { seconds: 1772359200, nanos: 0 },
      buttonClickedPayload: { space: SPACE, message: MESSAGE, isDialogEvent: false },
    },
  },
  {
    commonEventObject: COMMON,
    chat: {
      user: USER,
      eventTime: TIME,
      space: SPACE,
      addedToSpacePayload: { interactionAdd: false },
    },
  },
  {
    commonEventObject: { ...COMMON, parameters: { autocomplete_widget_query: 'ab' } },
    chat: { user: USER, eventTime: TIME, widgetUpdatedPayload: { space: SPACE } },
  },
];

/** Valid alerts of both shapes: Spacelog's own (firing, resolved) and Cloud Monitoring's. */
export const ALERT_TEMPLATES: readonly Json[] = [
  {
    key: 'checkout-5xx-2026-03-01',
    status: 'firing',
    title: 'Checkout answers 5xx',
    severity: 'critical',
    summary: '12% of checkout requests failed.',
    link: 'https://grafana.example.com/d/checkout',
    responders: ['users/1234567890', 'oncall@example.com'],
    startedAt: '2026-03-01T09:58:00Z',
  },
  { key: 'disk-full', status: 'resolved' },
  {
    version: '1.2',
    incident: {
      incident_id: '0.abc123',
      scoping_project_id: 'p',
      url: 'https://console.cloud.google.com/monitoring/alerting/incidents/0.abc123',
      started_at: 1772359200,
      ended_at: null,
      state: 'open',
      summary: 'Latency above threshold',
      policy_name: 'Checkout latency',
      condition_name: 'p95 above 2 s',
      resource_display_name: 'checkout',
      severity: 'Warning',
    },
  },
];
