/**
 * An in-memory fake of the Chat methods incidents and Pub/Sub replies call,
 * keeping Chat's idempotency rules (`requestId` gives back the first space or
 * message, a second membership is ALREADY_EXISTS) and failures injected per
 * method, before or after the write is applied.
 */
import { SpacelogError } from '../../shared/errors.js';
import type { IncidentChat } from '../../shared/incidents/index.js';
import type { ChatClient, ChatMessage, ChatSpace, Principal } from '../../shared/outbound/index.js';

type Method = 'createSpace' | 'setUpSpace' | 'createMember' | 'createMessage' | 'updateMessage';

/** One call the fake saw. */
export interface SeenCall {
  readonly method: Method;
  readonly as: Principal;
  readonly space?: string;
  readonly requestId?: string;
  readonly member?: string;
}

/** The fake, with its state for assertions. */
export interface FakeChat extends IncidentChat, Pick<ChatClient, 'updateMessage'> {
  readonly calls: SeenCall[];
  readonly spaces: Map<string, ChatSpace & { by: Principal }>;
  readonly members: Map<string, string[]>;
  readonly messages: Map<string, ChatMessage[]>;
  /** Fails the next call of `method`, before or after applying it. */
  failNext(method: Method, options?: { afterApply?: boolean; code?: SpacelogError['code'] }): void;
  /** Fails the call numbered `index` (0-based, counting every call), before or after applying it. */
  failCall(index: number, options?: { afterApply?: boolean }): void;
  /** Fails `createMember` of this member for good with this code. */
  refuseMember(member: string, code: SpacelogError['code']): void;
}

/** Builds an empty fake. */
export function fakeIncidentChat(): FakeChat {
  const calls: SeenCall[] = [];
  const spaces = new Map<string, ChatSpace & { by: Principal }>();
  const spaceRequests = new Map<string, string>();
  const members = new Map<string, string[]>();
  const messages = new Map<string, ChatMessage[]>();
  const messageRequests = new Map<string, ChatMessage>();
  const faults: { method: Method; afterApply: boolean; code: SpacelogError['code'] }[] = [];
  const refused = new Map<string, SpacelogError['code']>();
  const failAt = new Map<number, boolean>();
  let ids = 0;

  const run = async <T>(call: SeenCall, apply: () => T): Promise<T> => {
    await Promise.resolve();
    calls.push(call);
    const index = faults.findIndex((f) => f.method === call.method);
    const numbered = failAt.get(calls.length - 1);
    const fault =
      index >= 0
        ? faults.splice(index, 1)[0]
        : numbered === undefined
          ? undefined
          : { method: call.method, afterApply: numbered, code: 'unavailable' as const };
    const fail = () =>
      new SpacelogError(fault?.code ?? 'unavailable', `Injected ${call.method} failure.`);
    if (fault && !fault.afterApply) throw fail();
    const result = apply();
    if (fault) throw fail();
    return result;
  };

  const makeSpace = (space: ChatSpace, requestId: string, as: Principal, creator: string) => {
    const key = `${JSON.stringify(as)} ${requestId}`;
    const existing = spaceRequests.get(key);
    if (existing !== undefined) return spaces.get(existing) as ChatSpace;
    const name = `spaces/S${++ids}`;
    spaces.set(name, { ...space, name, by: as });
    spaceRequests.set(key, name);
    members.set(name, [creator]);
    messages.set(name, []);
    return { ...space, name };
  };

  const userOf = (as: Principal) =>
    as.kind === 'app' ? 'users/app' : as.kind === 'user' ? as.userId : `users/${as.subject}`;

  return {
    calls,
    spaces,
    members,
    messages,
    failNext(method, options = {}) {
      faults.push({
        method,
        afterApply: options.afterApply ?? false,
        code: options.code ?? 'unavailable',
      });
    },
    failCall(index, options = {}) {
      failAt.set(index, options.afterApply ?? false);
    },
    refuseMember(member, code) {
      refused.set(member, code);
    },
    createSpace: (input, as = { kind: 'app' }) =>
      run({ method: 'createSpace', as, requestId: input.requestId }, () =>
        makeSpace(input.space, input.requestId, as, 'users/app'),
      ),
    setUpSpace: (input, as) =>
      run({ method: 'setUpSpace', as, requestId: input.requestId }, () =>
        makeSpace(input.space, input.requestId, as, userOf(as)),
      ),
    createMember: (input, as = { kind: 'app' }) => {
      const member = input.membership.member?.name ?? '';
      return run({ method: 'createMember', as, space: input.space, member }, () => {
        const code = refused.get(member);
        if (code !== undefined) throw new SpacelogError(code, 'Member refused.');
        const list = members.get(input.space);
        if (list === undefined) throw new SpacelogError('not-found', 'No such space.');
        if (list.includes(member)) return { status: 'already-member' as const };
        list.push(member);
        return {
          status: 'created' as const,
          membership: { name: `${input.space}/members/${list.length}`, member: { name: member } },
        };
      });
    },
    createMessage: (input, as = { kind: 'app' }) =>
      run({ method: 'createMessage', as, space: input.space, requestId: input.requestId }, () => {
        const key = `${input.space} ${input.requestId}`;
        const first = messageRequests.get(key);
        if (first !== undefined) return { message: first, messages: [first], trimmed: false };
        const list = messages.get(input.space) ?? [];
        messages.set(input.space, list);
        const message: ChatMessage = {
          ...input.message,
          name: `${input.space}/messages/M${++ids}`,
          thread: { name: input.thread?.name ?? `${input.space}/threads/T${ids}` },
        };
        list.push(message);
        messageRequests.set(key, message);
        return { message, messages: [message], trimmed: false };
      }),
    updateMessage: (input, as = { kind: 'app' }) =>
      run({ method: 'updateMessage', as }, () => ({ ...input.message, name: input.name })),
  };
}
