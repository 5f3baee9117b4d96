/**
 * `spaces.members` create and list.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/spaces.members
 */
import {
  alreadyExists,
  invalidArgument,
  objectBody,
  objectField,
  ok,
  permissionDenied,
  requireSpace,
  stringField,
  type Reply,
  type RouteContext,
} from './context.js';
import { pageSizeOf, paginate } from './list-query.js';
import { membershipJson, type MemberType } from './records.js';
import { scopeUrl } from './scopes.js';

/**
 * `spaces.members.create`. App auth (`chat.app.memberships`) adds people
 * only. User auth adds people with `chat.memberships`, and the calling app
 * (`users/app`) with `chat.memberships` or `chat.memberships.app`.
 */
export function createMember(ctx: RouteContext): Reply {
  const space = requireSpace(ctx);
  const member = objectField(objectBody(ctx.body), 'member');
  const rawName = stringField(member, 'name');
  if (!rawName?.startsWith('users/')) invalidArgument('member.name must be users/….');
  const name = ctx.state.canonicalUser(rawName);
  const isApp = name === ctx.state.appUser;
  const type: MemberType = isApp ? 'BOT' : 'HUMAN';
  if (!isApp && stringField(member, 'type') === 'BOT') {
    invalidArgument('Only the calling app can be added; other apps cannot.');
  }

  if (ctx.caller.kind === 'app' && isApp) {
    permissionDenied('App authentication cannot add a Chat app to a space.');
  }
  if (ctx.caller.kind === 'user' && !isApp && !ctx.caller.scopes.has('chat.memberships')) {
    permissionDenied(
      `Request had insufficient authentication scopes. Adding a person requires ${scopeUrl('chat.memberships')}`,
    );
  }
  if (space.spaceType === 'DIRECT_MESSAGE' && !isApp) {
    invalidArgument('People cannot be added to a direct message.');
  }
  if (ctx.state.isMember(space.name, name)) alreadyExists('The member is already in the space.');

  const record = ctx.state.addMember(space.name, name, type);
  return ok(membershipJson(record, ctx.state.user));
}

/**
 * `spaces.members.list`, with an optional `member.type = "HUMAN"|"BOT"`
 * filter. Under app auth, app memberships are left out, as Chat does.
 */
export function listMembers(ctx: RouteContext): Reply {
  const space = requireSpace(ctx);
  const filter = ctx.query.get('filter');
  let onlyType: string | undefined;
  if (filter) {
    const match = /^\s*member\.type\s*=\s*"?(HUMAN|BOT)"?\s*$/.exec(filter);
    if (!match) invalidArgument('filter accepts only member.type = "HUMAN" or "BOT".');
    onlyType = match[1];
  }
  const members = [...ctx.state.rosterOf(space.name).values()].filter(
    (m) =>
      (ctx.caller.kind !== 'app' || m.type !== 'BOT') &&
      (onlyType === undefined || m.type === onlyType),
  );
  const page = paginate(members, ctx.query, {
    pageSize: pageSizeOf(ctx.query, 100),
    fingerprint: filter ?? '',
  });
  return ok({
    memberships: page.items.map((m) => membershipJson(m, ctx.state.user)),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  });
}
