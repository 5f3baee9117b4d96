/**
 * Setting up the Chat API stand-in's world from outside the API: users,
 * spaces with members, the app joining or leaving, and people posting
 * messages as Chat records them. Used by tests and the local page that plays
 * Chat; none of it counts against quotas.
 */
import type { SpaceRecord, SpaceType, UserRecord } from './records.js';
import type { ChatState } from './state.js';

/** A space to create directly. */
export interface SeedSpace {
  /** `spaces/…`; generated when absent. */
  readonly name?: string;
  readonly displayName?: string;
  readonly spaceType?: SpaceType;
  /** `users/…` of the people in it. */
  readonly members?: readonly string[];
  /** Whether the app is in it. Default true. */
  readonly appMember?: boolean;
}

/** Registers (or replaces) a person. */
export function addUser(
  state: ChatState,
  user: { name: string; displayName?: string; email?: string },
): UserRecord {
  if (!user.name.startsWith('users/')) throw new Error('A user name is users/….');
  const record: UserRecord = { ...user, type: 'HUMAN' };
  state.users.set(user.name, record);
  return record;
}

/** Creates a space with its members, as if people had made it in Chat. */
export function seedSpace(state: ChatState, input: SeedSpace): SpaceRecord {
  if (input.name !== undefined && state.spaces.has(input.name)) {
    throw new Error(`The space ${input.name} exists already.`);
  }
  const spaceType = input.spaceType ?? 'SPACE';
  const space = state.createSpace({
    spaceType,
    displayName: input.displayName ?? '',
    singleUserBotDm: spaceType === 'DIRECT_MESSAGE' && (input.members ?? []).length === 1,
    ...(input.name !== undefined ? { name: input.name } : {}),
  });
  for (const member of input.members ?? []) {
    state.addMember(space.name, state.canonicalUser(member), 'HUMAN');
  }
  if (input.appMember ?? true) setAppMember(state, space.name, true);
  return space;
}

/** Adds the app to a space or removes it. */
export function setAppMember(state: ChatState, space: string, member: boolean): void {
  if (!state.spaces.has(space)) throw new Error(`Unknown space ${space}.`);
  if (member) state.addMember(space, state.appUser, 'BOT');
  else state.removeMember(space, state.appUser);
}

/**
 * Records a person's message. `thread` names an existing thread to reply
 * in; without it the message starts a thread.
 */
export function postHumanMessage(
  state: ChatState,
  space: string,
  user: string,
  text: string,
  thread?: string,
) {
  if (!state.spaces.has(space)) throw new Error(`Unknown space ${space}.`);
  const sender = state.canonicalUser(user);
  if (!state.isMember(space, sender)) throw new Error(`${sender} is not a member of ${space}.`);
  let resolved: { name: string; key?: string; reply: boolean };
  if (thread !== undefined) {
    const key = state.threadKeyOf(space, thread);
    if (key === null) throw new Error(`Unknown thread ${thread}.`);
    resolved = { name: thread, reply: true, ...(key ? { key } : {}) };
  } else {
    resolved = { name: state.newThread(space), reply: false };
  }
  return state.createMessage({
    space,
    sender,
    senderType: 'HUMAN',
    content: { text },
    thread: resolved,
  });
}
