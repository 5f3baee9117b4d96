/**
 * The soak's world: its spaces in the Chat stand-in (rooms with the three
 * demo people, and direct messages with one of them), the people's
 * messages as Chat records them, and interaction events built from them in
 * either format by the stack's own event builders.
 */
import type { chat_v1 } from '@googleapis/chat';
import type { ChatApiStandIn } from '../standins/chat-api.js';
import { DEMO_USERS, userName } from '../stack/demo.js';
import {
  addOnEvent,
  classicEvent,
  type EventContext,
  type EventFormat,
  type Occurrence,
  type SlashCommand,
} from '../stack/interactions.js';

/** One soak space and who may act in it. */
export interface SoakSpace {
  readonly name: string;
  readonly resource: chat_v1.Schema$Space;
  readonly members: readonly string[];
  /** Whether its digest is set to fall due during the soak. */
  readonly digest: boolean;
}

/** The slash commands the soak uses, by what they do. */
export interface SoakCommands {
  readonly help: SlashCommand;
  readonly digest: SlashCommand;
  readonly incident: SlashCommand;
}

/** Seeds `count` spaces; every `digestEvery`-th gets a digest during the soak. */
export function seedSpaces(chat: ChatApiStandIn, count: number, digestEvery: number): SoakSpace[] {
  const people = DEMO_USERS.map(userName);
  return Array.from({ length: count }, (_, i) => {
    const dm = i % 5 === 4;
    const members = dm ? [people[i % people.length] ?? ''] : people;
    const name = `spaces/SOAK${String(i).padStart(4, '0')}`;
    const resource = chat.addSpace({
      name,
      displayName: dm ? '' : `Soak space ${i}`,
      spaceType: dm ? 'DIRECT_MESSAGE' : 'SPACE',
      members,
      appMember: true,
    });
    return { name, resource, members, digest: i % digestEvery === 0 };
  });
}

/** Builds interaction events the way Chat sends them. */
export interface EventMaker {
  /** A person's message in a space (recorded at Chat first), optionally a slash command. */
  message(space: SoakSpace, user: string, text: string, command?: SlashCommand): Occurrence;
  event(occurrence: Occurrence, space: SoakSpace, user: string, format: EventFormat): EventBody;
}

/** An event body with a slot for the add-on format's ID token. */
export interface EventBody {
  readonly json: Record<string, unknown>;
  readonly format: EventFormat;
}

/** An event maker over the Chat stand-in; `eventTime` gives each event its distinct time. */
export function eventMaker(
  chat: ChatApiStandIn,
  options: { readonly redirectUrl: string; readonly eventTime: () => string },
): EventMaker {
  const context = (space: SoakSpace, user: string): EventContext => ({
    space: space.resource,
    user: { name: user, type: 'HUMAN', displayName: user },
    appUser: chat.appUser,
    eventTime: options.eventTime(),
    configCompleteRedirectUrl: options.redirectUrl,
    timeZone: 'UTC',
  });
  return {
    message(space, user, text, command) {
      const message = chat.postHumanMessage(space.name, user, text);
      return { kind: 'message', message, ...(command && { command }) };
    },
    event(occurrence, space, user, format) {
      const ctx = context(space, user);
      // The add-on format carries Chat's ID token in the body; the driver puts one in.
      const json =
        format === 'classic' ? classicEvent(occurrence, ctx) : addOnEvent(occurrence, ctx, '');
      return { json, format };
    },
  };
}

/** The body to send: the add-on format gets `token` as its system ID token. */
export function withToken(body: EventBody, token: string): Record<string, unknown> {
  if (body.format === 'classic') return body.json;
  const auth = { systemIdToken: token };
  return { ...body.json, authorizationEventObject: auth };
}
