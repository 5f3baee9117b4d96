/**
 * The soak's plan: every delivery it will make, decided before it starts.
 * Setup first (the app added to each space, and each space's digest set),
 * then the main run, shuffled: fresh interactions over HTTP or Pub/Sub in
 * both formats, repeats of earlier ones (same body; over HTTP with the same
 * or a new token), malformed bodies, and valid bodies under forged tokens.
 * What each should lead to is worked out with the code's own functions: the
 * interaction id from the parser, `requestId`s from `requestIdFor`, refusal
 * reasons from the parser's coded error.
 */
import { incidentKeyOf } from '../../shared/app/spacelog/incident.js';
import { DIGEST_SET_ACTION } from '../../shared/app/spacelog/digest-card.js';
import { toSpacelogError } from '../../shared/errors.js';
import { parseInteraction } from '../../shared/interaction/parse.js';
import { requestIdFor } from '../../shared/outbound/index.js';
import type { EventFormat } from '../stack/interactions.js';
import type { Chance } from './random.js';
import type { EventBody, EventMaker, SoakCommands, SoakSpace } from './world.js';

/** How a delivery reaches the app. */
export type Transport = 'http' | 'pubsub';

/** A message the app must post at Chat exactly once. */
export interface ExpectedMessage {
  readonly space: string;
  readonly requestId: string;
  readonly purpose: string;
}

/** An incident the app must open once (space, details, and a report for `/incident`). */
export interface ExpectedIncident {
  readonly key: string;
  readonly title: string;
}

/** A valid interaction to deliver. */
export interface ValidStep {
  readonly role: 'setup' | 'valid';
  readonly id: string;
  readonly transport: Transport;
  readonly body: EventBody;
  readonly space: string;
  readonly messages: readonly ExpectedMessage[];
  readonly incident?: ExpectedIncident;
}

/** A repeat of a valid step. */
export interface RepeatStep {
  readonly role: 'repeat';
  readonly of: ValidStep;
  /** Over HTTP: a fresh token instead of the first delivery's. */
  readonly newToken: boolean;
}

/** A body the app must refuse and keep with its reason. */
export interface MalformedStep {
  readonly role: 'malformed';
  readonly transport: Transport;
  readonly content: Buffer;
  readonly contentType: string;
  /** The function expected to keep it, and the reason it should give. */
  readonly source: 'chatEvents' | 'chatPubsub';
  readonly reason: string;
}

/** A valid body under a forged token: refused with 401, never recorded. */
export interface ForgedStep {
  readonly role: 'forged';
  readonly id: string;
  readonly body: EventBody;
  readonly forgery: Forgery;
}

/** Ways a token is forged. */
export type Forgery =
  | 'foreign-key'
  | 'unknown-kid'
  | 'wrong-audience'
  | 'expired'
  | 'alg-none'
  | 'hs256'
  | 'wrong-email';

const FORGERIES: readonly Forgery[] = [
  'foreign-key',
  'unknown-kid',
  'wrong-audience',
  'expired',
  'alg-none',
  'hs256',
  'wrong-email',
];

/** Any delivery. */
export type Step = ValidStep | RepeatStep | MalformedStep | ForgedStep;

/** The plan. */
export interface Plan {
  readonly setup: readonly ValidStep[];
  readonly main: readonly Step[];
}

/** What the plan is made of. */
export interface PlanInput {
  readonly interactions: number;
  readonly spaces: readonly SoakSpace[];
  readonly commands: SoakCommands;
  readonly maker: EventMaker;
  readonly chance: Chance;
  /** `HH:MM` (UTC) at which digests of digest spaces fall due. */
  readonly digestTime: string;
}

/** Shares of the main run (of all interactions). */
export const SHARES = { repeat: 0.1, malformed: 0.05, forged: 0.02, incident: 0.003 } as const;

/** Builds the plan; throws when `interactions` is too few for the spaces' setup. */
export function buildPlan(input: PlanInput): Plan {
  const { chance, spaces } = input;
  const n = input.interactions;
  if (n < spaces.length * 4) {
    throw new Error(`--interactions must be at least 4 per space (${spaces.length * 4}).`);
  }
  const setup = spaces.flatMap((space, i) => setupSteps(input, space, i));
  const repeats = Math.round(n * SHARES.repeat);
  const malformed = Math.round(n * SHARES.malformed);
  const forged = Math.round(n * SHARES.forged);
  const incidents = Math.max(1, Math.round(n * SHARES.incident));
  const fresh = n - setup.length - repeats - malformed - forged;

  const valid = Array.from({ length: fresh }, (_, i) => freshStep(input, i < incidents));
  const main: Step[] = [
    ...valid,
    ...Array.from({ length: malformed }, (_, i) => malformedStep(input, i)),
    ...Array.from({ length: forged }, (_, i) => forgedStep(input, i)),
  ];
  chance.shuffle(main);
  for (let r = 0; r < repeats; r += 1) {
    const of = chance.pick(valid);
    const at = main.indexOf(of);
    const into = at + 1 + chance.int(main.length - at);
    main.splice(into, 0, { role: 'repeat', of, newToken: chance.next() < 0.5 });
  }
  return { setup, main };
}

function person(input: PlanInput, space: SoakSpace): string {
  return input.chance.pick(space.members);
}

function format(input: PlanInput): EventFormat {
  return input.chance.next() < 0.5 ? 'classic' : 'add-on';
}

function idOf(body: EventBody): string {
  return parseInteraction(body.json).id;
}

/** The app added to the space, then its digest set: due during the soak, or off. */
function setupSteps(input: PlanInput, space: SoakSpace, i: number): ValidStep[] {
  const user = space.members[0] ?? '';
  const added = input.maker.event({ kind: 'added' }, space, user, i % 2 ? 'add-on' : 'classic');
  const parameters: Record<string, string> = space.digest
    ? { timeOfDay: input.digestTime }
    : { enabled: 'false' };
  const card = { name: `${space.name}/messages/soak-digest-card`, thread: { name: '' } };
  const click = input.maker.event(
    { kind: 'card-click', message: card, action: { function: DIGEST_SET_ACTION, parameters } },
    space,
    user,
    i % 2 ? 'classic' : 'add-on',
  );
  return [added, click].map((body) => ({
    role: 'setup',
    id: idOf(body),
    transport: 'http',
    body,
    space: space.name,
    messages: [],
  }));
}

function freshStep(input: PlanInput, incident: boolean): ValidStep {
  const { chance, commands, maker } = input;
  const space = chance.pick(input.spaces);
  const user = person(input, space);
  const transport: Transport = chance.next() < 0.5 ? 'http' : 'pubsub';
  const roll = chance.next();
  const title = incident ? chance.words(3) : '';
  const occurrence = incident
    ? maker.message(space, user, `${commands.incident.name} ${title}`, commands.incident)
    : roll < 0.1
      ? maker.message(space, user, commands.help.name, commands.help)
      : roll < 0.18
        ? maker.message(space, user, commands.digest.name, commands.digest)
        : maker.message(space, user, chance.words(4));
  const body = maker.event(occurrence, space, user, format(input));
  const id = idOf(body);

  const messages: ExpectedMessage[] = [];
  if (transport === 'pubsub') {
    messages.push({ space: space.name, requestId: requestIdFor(id, 'reply'), purpose: 'reply' });
  }
  if (!incident) return { role: 'valid', id, transport, body, space: space.name, messages };
  const key = incidentKeyOf(id);
  const base = `incident:${key}`;
  messages.push({ space: space.name, requestId: requestIdFor(base, 'report'), purpose: 'report' });
  return {
    role: 'valid',
    id,
    transport,
    body,
    space: space.name,
    messages,
    incident: { key, title },
  };
}

function malformedStep(input: PlanInput, i: number): MalformedStep {
  const { chance } = input;
  const transport: Transport = i % 2 === 0 ? 'http' : 'pubsub';
  const words = chance.words(3);
  const space = chance.pick(input.spaces);
  const base = { type: 'MESSAGE', eventTime: new Date().toISOString() };
  const message = { name: `${space.name}/messages/broken-${i}`, text: words };
  const shapes: (() => unknown)[] = [
    () => ({ ...base, user: { name: 'users/1' }, message }),
    () => ({ ...base, space: space.resource, message }),
    () => ({ type: 'MESSAGE', space: space.resource, user: { name: 'users/1' }, message }),
    () => ({ note: words }),
    () => [words],
  ];
  const variant = i % (shapes.length + 1);
  const shape = shapes[variant];
  if (shape === undefined) {
    // Not JSON at all: text over HTTP, or a message whose data is not JSON.
    const content = Buffer.from(`${words} {`);
    return transport === 'http'
      ? {
          role: 'malformed',
          transport,
          content,
          contentType: 'text/plain',
          source: 'chatEvents',
          reason: 'content-type',
        }
      : {
          role: 'malformed',
          transport,
          content,
          contentType: '',
          source: 'chatPubsub',
          reason: 'interaction:not-json',
        };
  }
  const json = shape();
  const reason = refusalReason(json);
  const content = Buffer.from(JSON.stringify(json));
  return transport === 'http'
    ? {
        role: 'malformed',
        transport,
        content,
        contentType: 'application/json',
        source: 'chatEvents',
        reason,
      }
    : {
        role: 'malformed',
        transport,
        content,
        contentType: '',
        source: 'chatPubsub',
        reason: `interaction:${reason}`,
      };
}

/** The parser's own reason for refusing `json`. */
function refusalReason(json: unknown): string {
  try {
    parseInteraction(json);
  } catch (err) {
    const error = toSpacelogError(err);
    return String(error.details.reason ?? error.code);
  }
  throw new Error('A malformed body of the soak parsed as an interaction.');
}

function forgedStep(input: PlanInput, i: number): ForgedStep {
  const { chance, maker } = input;
  const space = chance.pick(input.spaces);
  const user = person(input, space);
  const body = maker.event(maker.message(space, user, chance.words(4)), space, user, format(input));
  return {
    role: 'forged',
    id: idOf(body),
    body,
    forgery: FORGERIES[i % FORGERIES.length] ?? 'expired',
  };
}
