/**
 * Plays Google Chat for the page: records what a person does in the Chat API
 * stand-in (posts a message, adds or removes the app), sends the app the
 * interaction event Chat would send, and carries out the app's synchronous
 * answer as Chat would (the reply appears as the app's message, a clicked
 * card is replaced, a sign-in prompt is shown to that person only).
 */
import type { chat_v1 } from '@googleapis/chat';
import type { ChatApiStandIn } from '../standins/chat-api.js';
import type { ChatWriter } from './chat-writer.js';
import type { Delivery } from './delivery.js';
import {
  addOnEvent,
  classicEvent,
  type CardAction,
  type EventContext,
  type EventFormat,
  type Occurrence,
  type SlashCommand,
} from './interactions.js';
import { addOnOutcome, classicOutcome, type ChatOutcome } from './replies.js';

/** Who does what, where, and how Chat is configured to deliver it. */
export interface PlayRequest {
  readonly space: string;
  readonly user: string;
  readonly format: EventFormat;
  /** Deliver on the interactions topic instead of over HTTP. */
  readonly viaPubsub: boolean;
  /** The person's IANA time zone (the browser's). */
  readonly timeZone?: string;
}

/** What happened, for the page. Holds no token. */
export interface PlayResult {
  readonly delivered: 'http' | 'pubsub';
  /** The event as sent (an add-on event's ID token is left out). */
  readonly event: Record<string, unknown>;
  readonly status?: number;
  readonly reply?: Record<string, unknown>;
  readonly outcome?: ChatOutcome['kind'];
  readonly messageId?: string;
  /** Sign-in prompt shown only to the person. */
  readonly signIn?: { readonly url: string; readonly resource?: string };
  readonly dialog?: unknown;
  /** A short line Chat would show the person (errors, dialog notices). */
  readonly notice?: string;
}

/** The page's actions. */
export interface ChatPlayer {
  sendMessage(
    request: PlayRequest & { readonly text: string; readonly thread?: string },
  ): Promise<PlayResult>;
  addApp(request: PlayRequest): Promise<PlayResult>;
  removeApp(request: PlayRequest): Promise<PlayResult>;
  clickButton(
    request: PlayRequest & { readonly message: string; readonly action: CardAction },
  ): Promise<PlayResult>;
}

/** Builds the player. `commands` maps `/name` to the configured command id. */
export function createChatPlayer(options: {
  readonly chat: ChatApiStandIn;
  readonly writer: ChatWriter;
  readonly delivery: Delivery;
  readonly commands: readonly SlashCommand[];
  readonly configCompleteRedirectUrl: string;
}): ChatPlayer {
  const { chat, writer, delivery } = options;

  const contextOf = (request: PlayRequest): EventContext => {
    const space = chat.space(request.space);
    if (!space) throw new Error(`Unknown space ${request.space}.`);
    const member = chat.members(request.space).find((m) => m.member?.name === request.user);
    const user: chat_v1.Schema$User = { ...member?.member, name: request.user, type: 'HUMAN' };
    return {
      space,
      user,
      appUser: chat.appUser,
      eventTime: new Date().toISOString(),
      configCompleteRedirectUrl: options.configCompleteRedirectUrl,
      timeZone: request.timeZone ?? 'UTC',
    };
  };

  const play = async (
    request: PlayRequest,
    occurrence: Occurrence,
    follow: { thread?: string; clicked?: string },
  ): Promise<PlayResult> => {
    const context = contextOf(request);
    const token = delivery.token();
    const event =
      request.format === 'classic'
        ? classicEvent(occurrence, context)
        : addOnEvent(occurrence, context, token);
    const shown =
      request.format === 'classic' ? event : addOnEvent(occurrence, context, '(signed ID token)');

    if (request.viaPubsub) {
      const messageId = await delivery.overPubsub(event);
      return { delivered: 'pubsub', event: shown, messageId };
    }
    const answer = await delivery.overHttp(event, token);
    const base = { delivered: 'http' as const, event: shown, status: answer.status };
    if (answer.status < 200 || answer.status > 299) {
      return { ...base, notice: `Spacelog is not responding (HTTP ${answer.status}).` };
    }
    // Chat ignores what an app answers to being removed.
    if (occurrence.kind === 'removed') return { ...base, outcome: 'none' };
    const reply = answer.body ?? {};
    const outcome = request.format === 'classic' ? classicOutcome(reply) : addOnOutcome(reply);
    return { ...base, reply, outcome: outcome.kind, ...(await carryOut(request, outcome, follow)) };
  };

  const carryOut = async (
    request: PlayRequest,
    outcome: ChatOutcome,
    follow: { thread?: string; clicked?: string },
  ): Promise<Partial<PlayResult>> => {
    switch (outcome.kind) {
      case 'create':
        await writer.create(request.space, outcome.content, follow.thread);
        return {};
      case 'update':
        if (follow.clicked !== undefined) await writer.update(follow.clicked, outcome.content);
        else await writer.create(request.space, outcome.content, follow.thread);
        return {};
      case 'sign-in':
        return {
          signIn: { url: outcome.url, ...(outcome.resource ? { resource: outcome.resource } : {}) },
        };
      case 'dialog':
        return { dialog: outcome.card };
      case 'close-dialog':
        return outcome.notice !== undefined ? { notice: outcome.notice } : {};
      case 'update-user-cards':
        return {
          notice: 'The app answered with link-preview cards, which this page does not show.',
        };
      case 'unreadable':
        return { notice: `Chat could not read the answer: ${outcome.reason}.` };
      case 'widget-update':
      case 'none':
        return {};
    }
  };

  return {
    async sendMessage(request) {
      const text = request.text.trim();
      const command = options.commands.find(
        (c) => text === c.name || text.startsWith(`${c.name} `),
      );
      const message = chat.postHumanMessage(request.space, request.user, text, request.thread);
      const occurrence: Occurrence = { kind: 'message', message, ...(command ? { command } : {}) };
      return play(request, occurrence, {
        ...(message.thread?.name ? { thread: message.thread.name } : {}),
      });
    },
    async addApp(request) {
      chat.setAppMember(request.space, true);
      return play(request, { kind: 'added' }, {});
    },
    async removeApp(request) {
      chat.setAppMember(request.space, false);
      return play(request, { kind: 'removed' }, {});
    },
    async clickButton(request) {
      const message = chat.messages(request.space).find((m) => m.name === request.message);
      if (!message) throw new Error(`Unknown message ${request.message}.`);
      const occurrence: Occurrence = { kind: 'card-click', message, action: request.action };
      return play(request, occurrence, {
        clicked: request.message,
        ...(message.thread?.name ? { thread: message.thread.name } : {}),
      });
    },
  };
}
