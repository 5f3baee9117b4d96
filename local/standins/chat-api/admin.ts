/**
 * Routes for a local browser page that plays Chat, outside the Chat API and
 * without authentication (loopback only):
 * - `GET /_admin/state`: users, and every space with its members and messages;
 * - `GET /_admin/stream`: Server-Sent Events of every change (`message`,
 *   `membership`, `space`, `reaction`), each `data` a `ChatChange`;
 * - `POST /_admin/spaces/{id}/messages` `{user, text, thread?}`: a person posts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { googleError, HttpError, readJson, sendJson } from '../standin.js';
import { membershipJson, messageJson, spaceJson } from './records.js';
import { postHumanMessage } from './seed.js';
import type { ChatChange, ChatState } from './state.js';

const CHANGE_KINDS = ['message', 'membership', 'space', 'reaction'] as const;

/** The whole state as one JSON value. */
export function stateSnapshot(state: ChatState) {
  return {
    appUser: state.appUser,
    users: [...state.users.values()],
    spaces: [...state.spaces.values()].map((space) => ({
      ...spaceJson(space),
      members: [...state.rosterOf(space.name).values()].map((m) => membershipJson(m, state.user)),
      messages: (state.messages.get(space.name) ?? []).map((m) => messageJson(m, state.user)),
    })),
  };
}

function stream(state: ChatState, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write('retry: 1000\n\n');
  const send = (change: ChatChange) => {
    res.write(`event: ${change.kind}\ndata: ${JSON.stringify(change)}\n\n`);
  };
  for (const kind of CHANGE_KINDS) state.events.on(kind, send);
  req.on('close', () => {
    for (const kind of CHANGE_KINDS) state.events.off(kind, send);
  });
}

async function postMessage(
  state: ChatState,
  spaceId: string,
  req: IncomingMessage,
  res: ServerResponse,
) {
  const body = (await readJson(req)) as { user?: unknown; text?: unknown; thread?: unknown };
  if (typeof body.user !== 'string' || typeof body.text !== 'string') {
    throw new HttpError(400, 'INVALID_ARGUMENT', 'user and text are required.');
  }
  const thread = typeof body.thread === 'string' ? body.thread : undefined;
  try {
    const record = postHumanMessage(state, `spaces/${spaceId}`, body.user, body.text, thread);
    sendJson(res, 200, messageJson(record, state.user));
  } catch (error) {
    googleError(res, 400, 'FAILED_PRECONDITION', (error as Error).message);
  }
}

/** Serves `/_admin/…`; `false` when the path is not an admin route. */
export async function serveAdmin(
  state: ChatState,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (req.method === 'GET' && path === '/_admin/state') {
    sendJson(res, 200, stateSnapshot(state));
    return true;
  }
  if (req.method === 'GET' && path === '/_admin/stream') {
    stream(state, req, res);
    return true;
  }
  const post = /^\/_admin\/spaces\/([^/]+)\/messages$/.exec(path);
  if (req.method === 'POST' && post?.[1]) {
    await postMessage(state, decodeURIComponent(post[1]), req, res);
    return true;
  }
  return false;
}
