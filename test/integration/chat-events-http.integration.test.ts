/**
 * `chatEvents` as deployed, over HTTP: the entry module registers the real
 * handler with the functions framework, which serves it from a child process
 * (one per configured token kind); tokens are signed and checked against the
 * certificate stand-in; the log is the Firestore emulator; commands go to the
 * Pub/Sub emulator. Nothing here calls the handler in-process.
 */
import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mintAddOnIdToken,
  mintEndpointIdToken,
  mintJwt,
  mintProjectNumberToken,
  startCerts,
  type CertsStandIn,
  type MintOptions,
} from '../../local/standins/certs.js';
import { createSigningKey } from '../../local/standins/keys.js';
import { loadConfig } from '../../shared/config.js';
import { createFirestoreEventStore } from '../../shared/eventlog/firestore-store.js';
import { spaceStream, type EventStore, type RecordedEvent } from '../../shared/eventlog/index.js';
import { createFirestore } from '../../shared/firestore.js';
import {
  addOn,
  addOnClick,
  classic,
  classicClick,
  everyKind,
  hasShape,
  message,
  type EventCase,
} from '../support/chat-interactions.js';
import {
  ALERTS_TOPIC,
  createTopic,
  eventually,
  postInteraction,
  PROJECT_NUMBER,
  send,
  SERVICE_AGENT,
  startChatEvents,
  type Answer,
  type ChatEventsHost,
  type TokenKind,
} from './chat-events-harness.js';

const PROJECT = 'chat-events-http';
const RUN = randomBytes(3).toString('hex').toUpperCase();
const SECRET_TEXT = 'the vault code is 8675309';
const OTHER_AGENT = 'service-999999999999@gcp-sa-gsuiteaddons.iam.gserviceaccount.com';
const MAX_BODY_BYTES = 262_144; // MAX_BODY_BYTES' documented default

let certs: CertsStandIn;
let hosts: Record<TokenKind, ChatEventsHost>;
let db: Firestore;
let events: EventStore;
let spaces = 0;

beforeAll(async () => {
  certs = await startCerts();
  await createTopic(PROJECT, ALERTS_TOPIC);
  const kinds: TokenKind[] = ['project-number', 'endpoint-url', 'add-on'];
  const started = await Promise.all(kinds.map((kind) => startChatEvents(PROJECT, kind, certs)));
  hosts = Object.fromEntries(started.map((host) => [host.kind, host])) as typeof hosts;
  db = createFirestore(
    loadConfig({
      GOOGLE_CLOUD_PROJECT: PROJECT,
      FIRESTORE_EMULATOR_HOST: process.env['FIRESTORE_EMULATOR_HOST'],
    }),
  );
  events = createFirestoreEventStore({ db });
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(hosts ?? {}).map((host) => host.stop()));
  await db?.terminate();
  await certs?.close();
});

/** A space name no other test uses. */
function newSpace(label: string): string {
  spaces += 1;
  return `spaces/${label}${RUN}N${spaces}`;
}

/** `body` with its spaces (and the names under them) moved to `space`. */
function inSpace(body: object, space: string): Record<string, unknown> {
  const json = JSON.stringify(body).replaceAll(/spaces\/(AAAA|DDDD)/g, space);
  return JSON.parse(json) as Record<string, unknown>;
}

/** A mention carrying text that must never reach a log, in the format `kind` is used with. */
function mention(kind: TokenKind, space: string): Record<string, unknown> {
  const text = `@Spacelog ${SECRET_TEXT}`;
  const body =
    kind === 'add-on'
      ? addOn('messagePayload', { message: message(text, { annotations: [APP_MENTION] }) })
      : classic('MESSAGE', { message: message(text, { annotations: [APP_MENTION] }) });
  return inSpace(body, space);
}

const APP_MENTION = {
  type: 'USER_MENTION',
  startIndex: 0,
  length: 9,
  userMention: { user: { name: 'users/app', type: 'BOT' }, type: 'MENTION' },
};

/** A valid token for `host`'s configured kind and audience. */
function validToken(host: ChatEventsHost, options: MintOptions = {}): string {
  switch (host.kind) {
    case 'project-number':
      return mintProjectNumberToken(certs, { ...options, projectNumber: PROJECT_NUMBER });
    case 'endpoint-url':
      return mintEndpointIdToken(certs, { ...options, audience: host.audience });
    case 'add-on':
      return mintAddOnIdToken(certs, {
        ...options,
        audience: host.audience,
        serviceAgentEmail: SERVICE_AGENT,
      });
  }
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function receivedIn(space: string): Promise<RecordedEvent[]> {
  const stream = await events.readStream(spaceStream(space));
  return stream.filter((event) => event.type === 'InteractionReceived');
}

async function rejectedDocs(): Promise<Record<string, unknown>[]> {
  const snapshot = await db.collection('rejected').where('source', '==', 'chatEvents').get();
  return snapshot.docs.map((doc) => doc.data());
}

/** Every `function` named by an action in a rendered reply. */
function actionFunctions(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(actionFunctions);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === 'function' && typeof inner === 'string' ? [inner] : actionFunctions(inner),
  );
}

/** One forged or broken credential, the host it is sent to and the reason it must be refused for. */
interface Forgery {
  readonly name: string;
  readonly at: TokenKind;
  readonly reason: string;
  /** The `Authorization` value; undefined sends none. */
  readonly authorization: () => string | undefined;
  readonly host?: string;
}

const bearer = (token: string) => `Bearer ${token}`;
const at = (kind: TokenKind) => hosts[kind];

function forgeries(): Forgery[] {
  const endpoint = (options: MintOptions = {}, audience = at('endpoint-url').audience) =>
    bearer(mintEndpointIdToken(certs, { ...options, audience }));
  const hour = 3_600_000;
  return [
    {
      name: 'no Authorization header',
      at: 'endpoint-url',
      reason: 'missing-token',
      authorization: () => undefined,
    },
    {
      name: 'an empty Authorization header',
      at: 'endpoint-url',
      reason: 'missing-token',
      authorization: () => '',
    },
    {
      name: 'Basic credentials',
      at: 'endpoint-url',
      reason: 'not-bearer',
      authorization: () => 'Basic Y2hhdDpjaGF0',
    },
    {
      name: 'a bearer that is not a JWS',
      at: 'endpoint-url',
      reason: 'not-a-jws',
      authorization: () => 'Bearer not-a-token',
    },
    {
      name: 'a JWS whose payload is not JSON',
      at: 'endpoint-url',
      reason: 'bad-payload',
      authorization: () =>
        bearer(
          `${b64({ alg: 'RS256', kid: certs.googleKey.kid })}.${Buffer.from('nope').toString('base64url')}.c2ln`,
        ),
    },
    {
      name: 'a token over 8 KB',
      at: 'endpoint-url',
      reason: 'token-too-long',
      authorization: () => endpoint({ overrides: { pad: 'x'.repeat(6500) } }),
    },
    {
      name: 'a wrong audience',
      at: 'endpoint-url',
      reason: 'wrong-audience',
      authorization: () => endpoint({}, 'https://other-app.example.test/events'),
    },
    {
      name: 'the audience a forged Host header points at',
      at: 'endpoint-url',
      reason: 'wrong-audience',
      authorization: () => endpoint({}, 'http://evil.example.test/'),
      host: 'evil.example.test',
    },
    {
      name: 'a wrong issuer',
      at: 'endpoint-url',
      reason: 'wrong-issuer',
      authorization: () => endpoint({ overrides: { iss: 'https://issuer.evil.example.test' } }),
    },
    {
      name: 'a wrong email',
      at: 'endpoint-url',
      reason: 'wrong-email',
      authorization: () =>
        endpoint({ overrides: { email: 'someone@evil-project.iam.gserviceaccount.com' } }),
    },
    {
      name: 'email_verified false',
      at: 'endpoint-url',
      reason: 'email-not-verified',
      authorization: () => endpoint({ overrides: { email_verified: false } }),
    },
    {
      name: 'email_verified as the string "true"',
      at: 'endpoint-url',
      reason: 'email-not-verified',
      authorization: () => endpoint({ overrides: { email_verified: 'true' } }),
    },
    {
      name: 'an expired token',
      at: 'endpoint-url',
      reason: 'expired',
      authorization: () => endpoint({ now: Date.now() - 2 * hour, ttl: 3600 }),
    },
    {
      name: 'a token not yet valid',
      at: 'endpoint-url',
      reason: 'not-yet-valid',
      authorization: () => endpoint({ overrides: { nbf: Math.floor((Date.now() + hour) / 1000) } }),
    },
    {
      name: 'a token issued in the future',
      at: 'endpoint-url',
      reason: 'issued-in-future',
      authorization: () => endpoint({ now: Date.now() + hour }),
    },
    {
      name: 'a lifetime over a day',
      at: 'endpoint-url',
      reason: 'lifetime-too-long',
      authorization: () => endpoint({ ttl: 2 * 86_400 }),
    },
    {
      name: 'no expiry',
      at: 'endpoint-url',
      reason: 'missing-expiry',
      authorization: () => endpoint({ overrides: { exp: undefined } }),
    },
    {
      name: 'an unknown key id',
      at: 'endpoint-url',
      reason: 'unknown-key-id',
      authorization: () => endpoint({ kid: 'no-such-key-id' }),
    },
    {
      name: 'no key id',
      at: 'endpoint-url',
      reason: 'missing-key-id',
      authorization: () => endpoint({ headerOverrides: { kid: undefined } }),
    },
    {
      name: 'alg none, with the empty signature it calls for',
      at: 'endpoint-url',
      reason: 'bad-encoding',
      authorization: () => endpoint({ algorithm: 'none' }),
    },
    {
      name: "alg none, with a real token's signature appended",
      at: 'endpoint-url',
      reason: 'algorithm-not-rs256',
      authorization: () => endpoint({ algorithm: 'none' }) + endpoint().split('.')[2],
    },
    {
      name: 'HS256 signed with the public key',
      at: 'endpoint-url',
      reason: 'algorithm-not-rs256',
      authorization: () => endpoint({ algorithm: 'HS256' }),
    },
    {
      name: 'a type other than JWT',
      at: 'endpoint-url',
      reason: 'bad-type',
      authorization: () => endpoint({ headerOverrides: { typ: 'at+jwt' } }),
    },
    {
      name: 'a critical header extension',
      at: 'endpoint-url',
      reason: 'critical-header',
      authorization: () => endpoint({ headerOverrides: { crit: ['exp'] } }),
    },
    {
      name: 'a truncated signature',
      at: 'endpoint-url',
      reason: 'bad-signature',
      authorization: () => endpoint().slice(0, -12),
    },
    {
      name: "a key of the attacker's own under Google's key id",
      at: 'endpoint-url',
      reason: 'bad-signature',
      authorization: () => endpoint({ signWith: createSigningKey(), kid: certs.googleKey.kid }),
    },
    {
      name: 'claims changed after signing',
      at: 'endpoint-url',
      reason: 'bad-signature',
      authorization: () => {
        const [head, body, signature] = endpoint().slice('Bearer '.length).split('.');
        const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString()) as {
          exp: number;
        };
        return bearer(`${head}.${b64({ ...claims, exp: claims.exp + 600 })}.${signature}`);
      },
    },
    {
      name: 'a project-number token (Chat issuer) for the endpoint URL',
      at: 'endpoint-url',
      reason: 'wrong-issuer',
      authorization: () =>
        bearer(mintProjectNumberToken(certs, { projectNumber: at('endpoint-url').audience })),
    },
    {
      name: 'a valid token for another add-on',
      at: 'add-on',
      reason: 'wrong-email',
      authorization: () =>
        bearer(
          mintAddOnIdToken(certs, {
            audience: at('add-on').audience,
            serviceAgentEmail: OTHER_AGENT,
          }),
        ),
    },
    {
      name: "another add-on's endpoint",
      at: 'add-on',
      reason: 'wrong-audience',
      authorization: () =>
        bearer(
          mintAddOnIdToken(certs, {
            audience: 'https://other-addon.example.test/chat?app=x',
            serviceAgentEmail: SERVICE_AGENT,
          }),
        ),
    },
    {
      name: 'the add-on URL without its query string',
      at: 'add-on',
      reason: 'wrong-audience',
      authorization: () =>
        bearer(
          mintAddOnIdToken(certs, { audience: at('add-on').url, serviceAgentEmail: SERVICE_AGENT }),
        ),
    },
    {
      name: "an endpoint-URL ID token (Chat's email) at the add-on",
      at: 'add-on',
      reason: 'wrong-email',
      authorization: () => bearer(mintEndpointIdToken(certs, { audience: at('add-on').audience })),
    },
    {
      name: 'a Google ID token for the project number',
      at: 'project-number',
      reason: 'wrong-issuer',
      authorization: () => bearer(mintEndpointIdToken(certs, { audience: PROJECT_NUMBER })),
    },
    {
      name: "Chat's claims signed with Google's key",
      at: 'project-number',
      reason: 'unknown-key-id',
      authorization: () =>
        bearer(
          mintProjectNumberToken(certs, {
            projectNumber: PROJECT_NUMBER,
            signWith: certs.googleKey,
          }),
        ),
    },
    {
      name: 'another project number',
      at: 'project-number',
      reason: 'wrong-audience',
      authorization: () => bearer(mintProjectNumberToken(certs, { projectNumber: '111111111111' })),
    },
    {
      name: 'a project-number token signed with HS256',
      at: 'project-number',
      reason: 'algorithm-not-rs256',
      authorization: () =>
        bearer(
          mintJwt({ iss: 'chat@system.gserviceaccount.com', aud: PROJECT_NUMBER }, certs.chatKey, {
            algorithm: 'HS256',
          }),
        ),
    },
  ];
}

describe('chatEvents over HTTP: request tokens', () => {
  const space = () => `spaces/FORGED${RUN}`;

  it('refuses each of at least 20 forged or broken tokens with 401, recording and keeping nothing', async () => {
    const cases = forgeries();
    expect(cases.length).toBeGreaterThanOrEqual(20);

    for (const forgery of cases) {
      const authorization = forgery.authorization();
      const answer = await send(at(forgery.at).url, {
        headers: {
          'content-type': 'application/json',
          ...(authorization !== undefined && { authorization }),
        },
        body: JSON.stringify(mention(forgery.at, space())),
        ...(forgery.host !== undefined && { host: forgery.host }),
      });
      expect({ forgery: forgery.name, status: answer.status, body: answer.json }).toEqual({
        forgery: forgery.name,
        status: 401,
        body: { error: 'Unauthenticated.' },
      });
    }

    expect(await receivedIn(space())).toEqual([]);
    const kept = await rejectedDocs();
    expect(kept.filter((doc) => String(doc.content).includes(space()))).toEqual([]);
  });

  it('counts each refusal under the reason it was refused for, in the log, without the token', async () => {
    const expected = new Map<TokenKind, Set<string>>();
    for (const forgery of forgeries()) {
      expected.set(forgery.at, (expected.get(forgery.at) ?? new Set()).add(forgery.reason));
    }
    for (const [kind, reasons] of expected) {
      await eventually(() => {
        const logged = at(kind)
          .logs()
          .map((line) => JSON.parse(line) as Record<string, unknown>)
          .filter((entry) => entry.message === 'Request refused: unauthenticated.')
          .map((entry) => entry.reason);
        expect([...new Set(logged)].sort()).toEqual([...reasons].sort());
      });
    }
  });

  it.each(['project-number', 'endpoint-url', 'add-on'] as const)(
    'accepts a valid %s token, and the same token again',
    async (kind) => {
      const host = at(kind);
      const token = validToken(host);
      for (const attempt of [1, 2]) {
        const where = newSpace('VALID');
        const answer = await postInteraction(host.url, mention(kind, where), token);
        expect({ attempt, status: answer.status }).toEqual({ attempt, status: 200 });
        const format = kind === 'add-on' ? 'add-on' : 'classic';
        expect(hasShape(answer.json ?? {}, format, 'new-message')).toBe(true);
        expect(await receivedIn(where)).toHaveLength(1);
      }
    },
  );
});

describe('chatEvents over HTTP: refused bodies', () => {
  const token = () => validToken(at('endpoint-url'));
  const url = () => at('endpoint-url').url;

  it('answers each refused body with its status and keeps it, with its reason, for operators', async () => {
    const space = newSpace('REFUSED');
    const bodyOf = (marker: string) =>
      JSON.stringify({ ...mention('endpoint-url', space), marker });
    const noSpace = addOn('messagePayload', { space: undefined, message: message('hi') });
    const cases: {
      name: string;
      sent: Parameters<typeof send>[1];
      status: number;
      reason: string;
    }[] = [
      {
        name: 'text/plain',
        sent: { headers: { 'content-type': 'text/plain' }, body: bodyOf('text') },
        status: 400,
        reason: 'content-type',
      },
      {
        name: 'no content type',
        sent: { headers: {}, body: bodyOf('none') },
        status: 400,
        reason: 'content-type',
      },
      {
        name: 'JSON that is no interaction event',
        sent: { headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' },
        status: 400,
        reason: 'unknown-format',
      },
      {
        name: 'an add-on event without a space',
        sent: { headers: { 'content-type': 'application/json' }, body: JSON.stringify(noSpace) },
        status: 400,
        reason: 'missing-space',
      },
      {
        name: 'a body over MAX_BODY_BYTES',
        sent: {
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            ...mention('endpoint-url', space),
            pad: 'x'.repeat(MAX_BODY_BYTES),
          }),
        },
        status: 413,
        reason: 'body-too-large',
      },
      { name: 'a GET', sent: { method: 'GET', headers: {} }, status: 400, reason: 'method' },
    ];

    for (const c of cases) {
      const sent = { ...c.sent, headers: { ...c.sent?.headers, authorization: bearer(token()) } };
      const answer = await send(url(), sent);
      expect({ name: c.name, status: answer.status, body: answer.json }).toEqual({
        name: c.name,
        status: c.status,
        body: { error: c.status === 413 ? 'Request too large.' : 'Bad request.' },
      });
    }

    const kept = await rejectedDocs();
    for (const c of cases) {
      expect(
        kept.map((doc) => doc.reason),
        c.name,
      ).toContain(c.reason);
    }
    const large = kept.find((doc) => doc.reason === 'body-too-large');
    expect(large).toMatchObject({ truncated: true, contentType: 'application/json' });
    expect(Buffer.byteLength(String(large?.content))).toBeLessThanOrEqual(8192);
    const addOnKept = kept.find((doc) => doc.reason === 'missing-space');
    expect(String(addOnKept?.content)).not.toContain('systemIdToken');
    expect(String(addOnKept?.content)).not.toContain('eyJ');
    expect(await receivedIn(space)).toEqual([]);
  });

  it('keeps one document per refused input, counting repeats', async () => {
    const body = JSON.stringify({ hello: `again ${RUN}` });
    for (let i = 0; i < 2; i += 1) {
      const answer = await send(url(), {
        headers: { 'content-type': 'application/json', authorization: bearer(token()) },
        body,
      });
      expect(answer.status).toBe(400);
    }
    const kept = (await rejectedDocs()).filter((doc) =>
      String(doc.content).includes(`again ${RUN}`),
    );
    expect(kept).toEqual([expect.objectContaining({ reason: 'unknown-format', count: 2 })]);
  });

  // The framework's body parser refuses it before `chatEvents` runs: nothing
  // of ours sees it, so it is neither verified nor kept (see shared/http/body.ts).
  it('answers malformed JSON with 400 and records nothing', async () => {
    const space = newSpace('MALFORMED');
    const answer = await send(url(), {
      headers: { 'content-type': 'application/json', authorization: bearer(token()) },
      body: `{"type": "MESSAGE", "space": {"name": "${space}"`,
    });
    expect(answer.status).toBe(400);
    expect(await receivedIn(space)).toEqual([]);
  });
});

describe('chatEvents over HTTP: every event kind in both formats', () => {
  const extra: EventCase[] = [
    {
      name: 'Acknowledge button of an unknown incident',
      format: 'classic',
      kind: 'card-click',
      shape: 'new-message',
      body: classicClick('incident.acknowledge', { incidentKey: 'inc-unknown' }),
    },
    {
      name: 'Acknowledge button of an unknown incident',
      format: 'add-on',
      kind: 'card-click',
      shape: 'new-message',
      body: addOnClick('incident.acknowledge', { incidentKey: 'inc-unknown' }),
    },
    {
      name: 'dialog cancel',
      format: 'add-on',
      kind: 'dialog',
      shape: 'dialog-close',
      body: addOn(
        'buttonClickedPayload',
        { isDialogEvent: true, dialogEventType: 'CANCEL_DIALOG' },
        { parameters: { actionName: 'save' } },
      ),
    },
  ];

  it.each([...everyKind(), ...extra].map((c) => [`${c.format} ${c.name}`, c] as const))(
    '%s gets a reply of the right shape, and is recorded once',
    async (_name, c) => {
      const host = at(c.format === 'add-on' ? 'add-on' : 'endpoint-url');
      const space = newSpace('KIND');
      const answer = await postInteraction(host.url, inSpace(c.body, space), validToken(host));

      expect(answer.status).toBe(200);
      expect(hasShape(answer.json ?? {}, c.format, c.shape), JSON.stringify(answer.json)).toBe(
        true,
      );
      const received = await receivedIn(space);
      expect(received).toHaveLength(1);
      const payload = received[0]?.payload as Record<string, unknown>;
      expect(payload).toMatchObject({ format: c.format, via: 'http' });
      if (c.kind === 'unknown') expect(String(payload.kind)).toMatch(/^unknown:/);
      else expect(payload.kind).toBe(c.kind);
    },
  );

  it("answers the incident card's Acknowledge, as chatPubsub does (one app builder)", async () => {
    const host = at('endpoint-url');
    const click = classicClick('incident.acknowledge', { incidentKey: 'inc-unknown' });
    const answer = await postInteraction(
      host.url,
      inSpace(click, newSpace('ACK')),
      validToken(host),
    );
    expect(answer.json).toMatchObject({ text: 'That button is out of date.' });
  });

  it('points add-on card buttons at the endpoint URL, the audience of its tokens', async () => {
    const host = at('add-on');
    const slash = addOn('appCommandPayload', {
      appCommandMetadata: { appCommandId: '2', appCommandType: 'SLASH_COMMAND' },
      message: message('/digest', { argumentText: '' }),
    });
    const answer = await postInteraction(
      host.url,
      inSpace(slash, newSpace('BUTTONS')),
      validToken(host),
    );
    const functions = actionFunctions(answer.json);
    expect(functions.length).toBeGreaterThan(0);
    expect(new Set(functions)).toEqual(new Set([host.audience]));
  });
});

describe('chatEvents over HTTP: the same delivery, three times at once', () => {
  const cases: {
    name: string;
    kind: TokenKind;
    body: (space: string) => object;
    caused: string[];
  }[] = [
    {
      name: 'a classic mention',
      kind: 'endpoint-url',
      body: (s) => mention('endpoint-url', s),
      caused: [],
    },
    {
      name: 'an add-on added-to-space',
      kind: 'add-on',
      body: (s) => inSpace(addOn('addedToSpacePayload', { interactionAdd: false }), s),
      caused: ['DigestSettingsChanged'],
    },
    {
      name: 'a classic digest button click',
      kind: 'project-number',
      body: (s) =>
        inSpace(
          classic('CARD_CLICKED', {
            message: message('card'),
            common: {
              invokedFunction: 'digest.set',
              parameters: { actionName: 'digest.set', cadence: 'weekly' },
            },
          }),
          s,
        ),
      caused: ['DigestSettingsChanged'],
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s gives one event in the log and the same reply three times',
    async (_name, c) => {
      const host = at(c.kind);
      const space = newSpace('TRIPLE');
      const body = c.body(space);
      const token = validToken(host);
      const answers: Answer[] = await Promise.all(
        [1, 2, 3].map(() => postInteraction(host.url, body, token)),
      );

      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      expect(answers[1]?.json).toEqual(answers[0]?.json);
      expect(answers[2]?.json).toEqual(answers[0]?.json);
      const stream = await events.readStream(spaceStream(space));
      const types = stream.map((event) => event.type);
      expect(types.filter((t) => t === 'InteractionReceived')).toHaveLength(1);
      for (const type of c.caused) expect(types.filter((t) => t === type)).toHaveLength(1);
      expect(new Set(stream.map((event) => event.id)).size).toBe(stream.length);
    },
  );
});

describe('chatEvents over HTTP: certificates out of reach', () => {
  let down: CertsStandIn;
  let host: ChatEventsHost;

  beforeAll(async () => {
    down = await startCerts();
    down.setUnavailable(true);
    host = await startChatEvents(PROJECT, 'endpoint-url', down);
  }, 60_000);

  afterAll(async () => {
    await host?.stop();
    await down?.close();
  });

  it('answers 503 while the certificates cannot be fetched, records nothing, and recovers', async () => {
    const space = newSpace('CERTS');
    const token = mintEndpointIdToken(down, { audience: host.audience });
    const body = mention('endpoint-url', space);

    const refused = await postInteraction(host.url, body, token);
    expect({ status: refused.status, body: refused.json }).toEqual({
      status: 503,
      body: { error: 'Temporarily unavailable.' },
    });
    expect(down.fetchCount()).toBeGreaterThan(0);
    expect(await receivedIn(space)).toEqual([]);

    down.setUnavailable(false);
    await eventually(async () => {
      expect((await postInteraction(host.url, body, token)).status).toBe(200);
    });
    expect(await receivedIn(space)).toHaveLength(1);
  });

  it('accepts tokens of a rotated key once a rate-limited refetch finds it', async () => {
    const before = down.fetchCount();
    const oldKey = down.googleKey;
    down.rotate('google');
    const rotated = mintEndpointIdToken(down, { audience: host.audience });
    // Refetches on an unknown key id are spaced 15 s apart: until then the new key id is refused.
    await eventually(async () => {
      const answer = await postInteraction(
        host.url,
        mention('endpoint-url', newSpace('ROT')),
        rotated,
      );
      expect(answer.status).toBe(200);
    }, 40_000);
    expect(down.fetchCount() - before).toBeLessThanOrEqual(2);

    const old = mintEndpointIdToken(down, { audience: host.audience, signWith: oldKey });
    const answer = await postInteraction(host.url, mention('endpoint-url', newSpace('ROT')), old);
    expect(answer.status).toBe(200);
  }, 60_000);
});

describe('chatEvents over HTTP: logs', () => {
  it('never carry message text or tokens', () => {
    for (const host of Object.values(hosts)) {
      const logs = host.logs().join('\n');
      expect(logs).toContain('Interaction answered.');
      expect(logs).not.toContain(SECRET_TEXT);
      expect(logs).not.toContain('eyJ');
    }
  });
});
