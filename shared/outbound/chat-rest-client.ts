/**
 * The Chat REST API client: plain `fetch` to `CHAT_API_URL` (no generated
 * client at run time), one credential per call chosen from the method's needs
 * (`auth-table.ts`), retries and pacing from `http.ts`, and messages kept
 * within Chat's size limit (`split.ts`). Creates carry a `requestId` the
 * caller derives from the causing event (`requestIdFor`), so a repeated
 * delivery gets back what the first one made. The client returns results and
 * records nothing: callers append the events.
 * https://developers.google.com/workspace/chat/api/reference/rest
 */
import { SpacelogError } from '../errors.js';
import { AS_APP, resolveAuth, type ChatMethod, type Principal } from './auth-table.js';
import type { ChatClient, PageInput } from './chat-client.js';
import type { ChatMembership, ChatMessage, ChatSpace } from './chat-types.js';
import type { TokenSource } from './credentials.js';
import type { OutboundHttp, OutboundRequest } from './http.js';
import { requestIdFor } from './request-id.js';
import { fitMessage, splitMessage } from './split.js';

/** What the client is built from. */
export interface ChatClientOptions {
  /** `CHAT_API_URL`. */
  readonly baseUrl: string;
  readonly http: OutboundHttp;
  readonly tokens: TokenSource;
  /** `CHAT_APP_SCOPES_APPROVED`. */
  readonly appScopesApproved: boolean;
}

const SPACE = /^spaces\/[\w-]+$/;
const MESSAGE = /^(spaces\/[\w-]+)\/messages\/[\w-][\w.-]*$/;

/** Builds the client. */
export function createChatClient(options: ChatClientOptions): ChatClient {
  const base = `${options.baseUrl.replace(/\/$/, '')}/v1/`;

  const call = async <T>(
    method: ChatMethod,
    as: Principal,
    request: Omit<OutboundRequest, 'call' | 'authorize' | 'url'> & {
      readonly path: string;
      readonly query?: Query;
    },
  ): Promise<T> => {
    const auth = resolveAuth(method, as, options.appScopesApproved);
    const { path, query, ...rest } = request;
    const response = await options.http.send({
      ...rest,
      call: `chat.${method}`,
      url: base + path + queryString(query),
      authorize: async (fresh) => ({
        authorization: `Bearer ${await options.tokens.accessToken(auth, { fresh })}`,
      }),
      details: { ...rest.details, auth: auth.mode },
    });
    return response.body as T;
  };

  const createOne = (space: string, message: ChatMessage, query: Query, as: Principal) =>
    call<ChatMessage>('messages.create', as, {
      method: 'POST',
      path: `${space}/messages`,
      query,
      body: message,
      pacedSpace: space,
      details: { space },
    });

  return {
    async createMessage(input, as = AS_APP) {
      const space = checked(input.space, SPACE, 'space');
      const { parts, trimmed } = splitMessage(input.message);
      const [head = input.message, ...tail] = parts;
      const threaded = input.thread !== undefined;
      const first = await createOne(
        space,
        threaded ? { ...head, thread: { ...input.thread } } : head,
        {
          requestId: input.requestId,
          messageReplyOption:
            input.replyOption ?? (threaded ? 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' : undefined),
          messageId: input.messageId,
        },
        as,
      );
      const messages = [first];
      for (const [index, part] of tail.entries()) {
        const thread = first.thread?.name ? { name: first.thread.name } : input.thread;
        const next = await createOne(
          space,
          thread ? { ...part, thread } : part,
          {
            requestId: requestIdFor(input.requestId, `part-${index + 2}`),
            messageReplyOption: thread ? 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' : undefined,
          },
          as,
        );
        messages.push(next);
      }
      return { message: first, messages, trimmed };
    },

    getMessage: async (name, as = AS_APP) =>
      call('messages.get', as, { method: 'GET', path: checked(name, MESSAGE, 'message') }),

    async updateMessage(input, as = AS_APP) {
      const name = checked(input.name, MESSAGE, 'message');
      const [message] = fitMessage(input.message).parts;
      return call('messages.patch', as, {
        method: 'PATCH',
        path: name,
        query: { updateMask: input.updateMask.join(',') },
        body: message,
        pacedSpace: spaceOf(name),
        details: { space: spaceOf(name) },
      });
    },

    async deleteMessage(name, as = AS_APP) {
      checked(name, MESSAGE, 'message');
      try {
        await call('messages.delete', as, {
          method: 'DELETE',
          path: name,
          pacedSpace: spaceOf(name),
          details: { space: spaceOf(name) },
        });
        return true;
      } catch (err) {
        // A retry after a lost answer finds the message gone: deleted all the same.
        if (err instanceof SpacelogError && err.code === 'not-found') return false;
        throw err;
      }
    },

    listMessages: async (input, as = AS_APP) =>
      call('messages.list', as, {
        method: 'GET',
        path: `${checked(input.space, SPACE, 'space')}/messages`,
        query: { ...pageQuery(input), orderBy: input.orderBy, showDeleted: input.showDeleted },
        details: { space: input.space },
      }),

    getSpace: async (name, as = AS_APP) =>
      call('spaces.get', as, { method: 'GET', path: checked(name, SPACE, 'space') }),

    listSpaces: async (input = {}, as = AS_APP) =>
      call('spaces.list', as, { method: 'GET', path: 'spaces', query: pageQuery(input) }),

    createSpace: async (input, as = AS_APP) =>
      call('spaces.create', as, {
        method: 'POST',
        path: 'spaces',
        query: { requestId: input.requestId },
        body: input.space,
      }),

    setUpSpace: async (input, as) =>
      call('spaces.setup', as, {
        method: 'POST',
        path: 'spaces:setup',
        body: { space: input.space, requestId: input.requestId, memberships: input.memberships },
      }),

    async findDirectMessage(user, as = AS_APP) {
      try {
        return await call<ChatSpace>('spaces.findDirectMessage', as, {
          method: 'GET',
          path: 'spaces:findDirectMessage',
          query: { name: user },
        });
      } catch (err) {
        if (err instanceof SpacelogError && err.code === 'not-found') return undefined;
        throw err;
      }
    },

    async createMember(input, as = AS_APP) {
      const space = checked(input.space, SPACE, 'space');
      const addsApp = input.membership.member?.name === 'users/app';
      try {
        const membership = await call<ChatMembership>(
          addsApp ? 'members.createApp' : 'members.create',
          as,
          {
            method: 'POST',
            path: `${space}/members`,
            body: input.membership,
            pacedSpace: space,
            details: { space },
          },
        );
        return { status: 'created', membership };
      } catch (err) {
        // members.create has no requestId: ALREADY_EXISTS is how a repeat shows.
        if (err instanceof SpacelogError && err.code === 'conflict')
          return { status: 'already-member' };
        throw err;
      }
    },

    listMembers: async (input, as = AS_APP) =>
      call('members.list', as, {
        method: 'GET',
        path: `${checked(input.space, SPACE, 'space')}/members`,
        query: {
          ...pageQuery(input),
          showGroups: input.showGroups,
          showInvited: input.showInvited,
        },
        details: { space: input.space },
      }),

    createReaction: async (input, as) =>
      call('reactions.create', as, {
        method: 'POST',
        path: `${checked(input.message, MESSAGE, 'message')}/reactions`,
        body: { emoji: input.emoji },
        pacedSpace: spaceOf(input.message),
        details: { space: spaceOf(input.message) },
      }),
  };
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>;

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

const pageQuery = (input: PageInput): Query => ({
  pageSize: input.pageSize,
  pageToken: input.pageToken,
  filter: input.filter,
});

function spaceOf(message: string): string {
  return MESSAGE.exec(message)?.[1] ?? message;
}

/** Refuses a resource name that could steer the request elsewhere. */
function checked(name: string, shape: RegExp, what: string): string {
  if (!shape.test(name)) {
    throw new SpacelogError('invalid-input', `Not a Chat ${what} name.`, {
      [what]: name.slice(0, 80),
    });
  }
  return name;
}
