/**
 * `spaces` get, list, create, setup and findDirectMessage.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces
 */
import {
  alreadyExists,
  invalidArgument,
  notFound,
  objectBody,
  objectField,
  ok,
  requireSpace,
  stringField,
  type Reply,
  type RouteContext,
} from './context.js';
import { pageSizeOf, paginate } from './list-query.js';
import { spaceJson, type SpaceRecord, type SpaceType } from './records.js';
import type { ChatState } from './state.js';

const SPACE_TYPES: readonly SpaceType[] = ['SPACE', 'GROUP_CHAT', 'DIRECT_MESSAGE'];

/** `spaces.get`. */
export function getSpace(ctx: RouteContext): Reply {
  return ok(spaceJson(requireSpace(ctx)));
}

/** `spaces.list`: the caller's spaces, with an optional `spaceType = "…"` filter. */
export function listSpaces(ctx: RouteContext): Reply {
  const filter = ctx.query.get('filter');
  let types: string[] | undefined;
  if (filter) {
    types = [...filter.matchAll(/space_?[tT]ype\s*=\s*"?([A-Z_]+)"?/g)].map((m) => m[1] ?? '');
    if (types.length === 0) invalidArgument('filter accepts only spaceType = "…" clauses.');
  }
  const spaces = ctx.state
    .spacesOf(ctx.caller.user)
    .filter((s) => types === undefined || types.includes(s.spaceType));
  const page = paginate(spaces, ctx.query, {
    pageSize: pageSizeOf(ctx.query, 100),
    fingerprint: filter ?? '',
  });
  return ok({
    spaces: page.items.map(spaceJson),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  });
}

function checkNamedSpace(state: ChatState, displayName: string | undefined): string {
  if (!displayName || displayName.length > 128) {
    invalidArgument('A space of type SPACE needs a displayName of 1 to 128 characters.');
  }
  const taken = [...state.spaces.values()].some(
    (s) => s.spaceType === 'SPACE' && s.displayName === displayName,
  );
  if (taken) alreadyExists('A space with this displayName already exists.');
  return displayName;
}

function replayed(ctx: RouteContext, requestId: string | undefined): SpaceRecord | undefined {
  if (!requestId) return undefined;
  const name = ctx.state.spaceRequests.get(`${ctx.caller.user} ${requestId}`);
  return name === undefined ? undefined : ctx.state.spaces.get(name);
}

/**
 * `spaces.create`: a named space. Under app auth `space.customer` must be
 * `customers/my_customer` and the app becomes its member; under user auth
 * the user does.
 */
export function createSpace(ctx: RouteContext): Reply {
  const requestId = ctx.query.get('requestId') ?? undefined;
  const again = replayed(ctx, requestId);
  if (again) return ok(spaceJson(again));

  const body = objectBody(ctx.body);
  const spaceType = stringField(body, 'spaceType') ?? 'SPACE';
  if (spaceType !== 'SPACE') invalidArgument('spaces.create creates spaces of type SPACE only.');
  const customer = stringField(body, 'customer');
  if (ctx.caller.kind === 'app' && customer !== 'customers/my_customer') {
    invalidArgument('With app authentication, space.customer must be "customers/my_customer".');
  }
  const displayName = checkNamedSpace(ctx.state, stringField(body, 'displayName'));

  const space = ctx.state.createSpace({
    spaceType: 'SPACE',
    displayName,
    singleUserBotDm: false,
    ...(customer ? { customer } : {}),
  });
  ctx.state.addMember(space.name, ctx.caller.user, ctx.caller.kind === 'app' ? 'BOT' : 'HUMAN');
  if (requestId) ctx.state.spaceRequests.set(`${ctx.caller.user} ${requestId}`, space.name);
  return ok(spaceJson(space));
}

function memberNames(ctx: RouteContext, body: Record<string, unknown>): string[] {
  const list = body.memberships ?? [];
  if (!Array.isArray(list)) invalidArgument('memberships must be a list.');
  return list.map((entry: unknown) => {
    const member = objectField(objectBody(entry), 'member');
    const name = stringField(member, 'name');
    if (!name?.startsWith('users/')) invalidArgument('Each membership needs member.name users/….');
    if (stringField(member, 'type') === 'BOT' || name === 'users/app') {
      invalidArgument('spaces.setup cannot add Chat apps; use singleUserBotDm or members.create.');
    }
    return ctx.state.canonicalUser(name);
  });
}

/**
 * `spaces.setup` (user auth only): a space, group chat or direct message with
 * the caller and the given members in one call. An existing direct message
 * between the same people is returned instead of a second one.
 */
export function setupSpace(ctx: RouteContext): Reply {
  const body = objectBody(ctx.body);
  const requestId = stringField(body, 'requestId');
  const again = replayed(ctx, requestId);
  if (again) return ok(spaceJson(again));

  const spaceBody = objectField(body, 'space') ?? invalidArgument('space is required.');
  const botDm = spaceBody.singleUserBotDm === true;
  const spaceType = (stringField(spaceBody, 'spaceType') ??
    (botDm ? 'DIRECT_MESSAGE' : 'SPACE')) as SpaceType;
  if (!SPACE_TYPES.includes(spaceType)) invalidArgument('Unknown spaceType.');
  const others = memberNames(ctx, body).filter((m) => m !== ctx.caller.user);
  const me = ctx.caller.user;

  let space: SpaceRecord;
  if (spaceType === 'DIRECT_MESSAGE') {
    if (botDm ? others.length !== 0 : others.length !== 1) {
      invalidArgument(
        'A direct message has exactly one other member (or the app, by singleUserBotDm).',
      );
    }
    const other = botDm ? ctx.state.appUser : (others[0] ?? '');
    const existing = ctx.state.directMessage(me, other);
    if (existing) return ok(spaceJson(existing));
    space = ctx.state.createSpace({ spaceType, displayName: '', singleUserBotDm: botDm });
    ctx.state.addMember(space.name, me, 'HUMAN');
    ctx.state.addMember(space.name, other, botDm ? 'BOT' : 'HUMAN');
  } else {
    if (spaceType === 'GROUP_CHAT' && others.length < 2) {
      invalidArgument('A group chat needs at least two other members.');
    }
    const displayName =
      spaceType === 'SPACE'
        ? checkNamedSpace(ctx.state, stringField(spaceBody, 'displayName'))
        : '';
    space = ctx.state.createSpace({ spaceType, displayName, singleUserBotDm: false });
    for (const member of [me, ...others]) ctx.state.addMember(space.name, member, 'HUMAN');
  }
  if (requestId) ctx.state.spaceRequests.set(`${me} ${requestId}`, space.name);
  return ok(spaceJson(space));
}

/** `spaces.findDirectMessage?name=users/X`: the DM between the caller and X. */
export function findDirectMessage(ctx: RouteContext): Reply {
  const name = ctx.query.get('name');
  if (!name?.startsWith('users/')) invalidArgument('name must be users/….');
  const space = ctx.state.directMessage(ctx.caller.user, ctx.state.canonicalUser(name));
  return space ? ok(spaceJson(space)) : notFound('No direct message with this user.');
}
