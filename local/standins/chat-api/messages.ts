/**
 * `spaces.messages` get, patch, delete and list, and
 * `spaces.messages.reactions.create`. Under `chat.bot` the app reaches only
 * its own messages; a user edits only their own.
 */
import { checkSize, contentOf } from './message-create.js';
import {
  alreadyExists,
  invalidArgument,
  notFound,
  objectBody,
  objectField,
  ok,
  permissionDenied,
  requireSpace,
  stringField,
  type Reply,
  type RouteContext,
} from './context.js';
import { descendingOrder, messageFilter, pageSizeOf, paginate } from './list-query.js';
import { messageJson, reactionJson, type MessageContent, type MessageRecord } from './records.js';

function visibleTo(ctx: RouteContext, message: MessageRecord): boolean {
  const viewer = message.privateMessageViewer;
  return ctx.caller.kind !== 'user' || viewer === undefined || viewer === ctx.caller.user;
}

/** The live message of the call, visible to the caller (404 otherwise). */
function requireMessage(ctx: RouteContext): MessageRecord {
  requireSpace(ctx);
  const message = ctx.state.messageByName.get(ctx.message ?? '');
  if (!message || message.space !== ctx.space || message.deleteTime !== undefined) {
    return notFound('Message not found.');
  }
  if (!visibleTo(ctx, message)) return notFound('Message not found.');
  return message;
}

/** Refuses a change to a message the caller did not send. */
function requireOwn(ctx: RouteContext, message: MessageRecord, verb: string): void {
  if (message.viaWebhook || message.sender !== ctx.caller.user) {
    permissionDenied(`The caller can ${verb} only messages it created.`);
  }
}

/** `spaces.messages.get`. */
export function getMessage(ctx: RouteContext): Reply {
  const message = requireMessage(ctx);
  const readAll = ctx.caller.scopes.has('chat.app.messages.readonly');
  if (ctx.caller.kind === 'app' && !readAll) requireOwn(ctx, message, 'get (with chat.bot)');
  return ok(messageJson(message, ctx.state.user));
}

const PATCHABLE: ReadonlySet<string> = new Set([
  'text',
  'cardsV2',
  'accessoryWidgets',
  'fallbackText',
]);
const SNAKE: Readonly<Record<string, string>> = {
  cards_v2: 'cardsV2',
  accessory_widgets: 'accessoryWidgets',
  fallback_text: 'fallbackText',
};

/** `spaces.messages.patch` (and `update`): only the fields in `updateMask`. */
export function patchMessage(ctx: RouteContext): Reply {
  const message = requireMessage(ctx);
  requireOwn(ctx, message, 'update');
  const mask = ctx.query.get('updateMask') ?? ctx.query.get('update_mask');
  if (!mask) invalidArgument('updateMask is required.');
  const fields =
    mask === '*' ? [...PATCHABLE] : mask.split(',').map((f) => SNAKE[f.trim()] ?? f.trim());
  const unknown = fields.find((f) => !PATCHABLE.has(f));
  if (unknown !== undefined)
    invalidArgument(`updateMask names a field that cannot be updated: ${unknown}`);

  const body = contentOf(objectBody(ctx.body), ctx.caller.kind === 'user');
  const patch: MessageContent = {};
  for (const field of fields) {
    const key = field as keyof MessageContent;
    (patch as Record<string, unknown>)[key] = body[key];
  }
  checkSize({ ...message.content, ...patch });
  ctx.state.updateMessage(message, patch);
  return ok(messageJson(message, ctx.state.user));
}

/** `spaces.messages.delete`. */
export function deleteMessage(ctx: RouteContext): Reply {
  const message = requireMessage(ctx);
  requireOwn(ctx, message, 'delete');
  ctx.state.deleteMessage(message, 'CREATOR');
  return ok({});
}

/** `spaces.messages.list`: `filter` on createTime, `orderBy`, `showDeleted`, paging. */
export function listMessages(ctx: RouteContext): Reply {
  const space = requireSpace(ctx);
  const { query } = ctx;
  const filter = messageFilter(query.get('filter'));
  const descending = descendingOrder(query.get('orderBy'));
  const showDeleted = query.get('showDeleted') === 'true';
  const all = ctx.state.messages.get(space.name) ?? [];
  const matching = all.filter(
    (m) => (showDeleted || m.deleteTime === undefined) && visibleTo(ctx, m) && filter(m),
  );
  if (descending) matching.reverse();
  const page = paginate(matching, query, {
    pageSize: pageSizeOf(query, 25),
    fingerprint: `${query.get('filter')}|${descending}|${showDeleted}`,
    descending,
  });
  return ok({
    messages: page.items.map((m) => messageJson(m, ctx.state.user)),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  });
}

/** `spaces.messages.reactions.create` (user auth only). */
export function createReaction(ctx: RouteContext): Reply {
  const message = requireMessage(ctx);
  const emoji = objectField(objectBody(ctx.body), 'emoji');
  const unicode = stringField(emoji, 'unicode');
  if (!unicode) invalidArgument('emoji.unicode is required.');
  const existing = ctx.state.reactions.get(message.name) ?? [];
  if (existing.some((r) => r.user === ctx.caller.user && r.emoji.unicode === unicode)) {
    alreadyExists('The user already reacted with this emoji.');
  }
  const reaction = ctx.state.addReaction(message, ctx.caller.user, { unicode });
  return ok(reactionJson(reaction, ctx.state.user));
}
