/**
 * The page's server on 127.0.0.1: the static page (`local/web/`), a JSON API
 * for what a person does (send, click, add or remove the app, run digests,
 * fire an alert), and one Server-Sent Events stream carrying Chat changes,
 * new event-log entries and sign-in completions. It holds the minting keys;
 * the browser never sees a token.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import {
  HttpError,
  listen,
  readJson,
  requestUrl,
  sendJson,
  type StandIn,
} from '../standins/standin.js';
import type { ChatApiStandIn } from '../standins/chat-api.js';
import type { ChatPlayer, PlayRequest } from './chat-player.js';
import type { EventLogFeed } from './event-log-feed.js';
import type { EventFormat } from './interactions.js';

const STATIC: Readonly<Record<string, string>> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/cards.js': 'cards.js',
  '/view.js': 'view.js',
  '/style.css': 'style.css',
};
const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
};
const CHANGE_KINDS = ['message', 'membership', 'space', 'reaction'] as const;

/** What the page shows besides Chat's state. */
export interface PageInfo {
  readonly mode: string;
  readonly audienceKind: string;
  readonly commands: readonly { readonly id: string; readonly name: string }[];
  readonly functions: Readonly<Record<string, string>>;
  /** Whether the page can read the event log (not the in-memory one). */
  readonly logReadable: boolean;
  /** `host:port` of each emulator the stack started. */
  readonly emulators: Readonly<Record<string, string>>;
  /** The people one can play, `users/…` with display names. */
  readonly people: readonly { readonly name: string; readonly displayName: string }[];
}

/** Actions that are not Chat's: Cloud Scheduler's tick and Cloud Monitoring's alert. */
export interface Operator {
  runDigestsNow(): Promise<string>;
  fireAlert(input: { title: string }): Promise<string>;
}

/** Where Chat sends a person once the app's configuration (sign-in) is done. */
export const CONFIG_COMPLETE_PATH = '/config-complete';

function str(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') {
    throw new HttpError(400, 'INVALID_ARGUMENT', `${key} is required.`);
  }
  return value;
}

function playRequest(body: Record<string, unknown>): PlayRequest {
  const format: EventFormat = body['format'] === 'add-on' ? 'add-on' : 'classic';
  const timeZone = typeof body['timeZone'] === 'string' ? body['timeZone'] : undefined;
  return {
    space: str(body, 'space'),
    user: str(body, 'user'),
    format,
    viaPubsub: body['viaPubsub'] === true,
    ...(timeZone ? { timeZone } : {}),
  };
}

function parameters(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [key, v] of Object.entries(value)) if (typeof v === 'string') out[key] = v;
  return out;
}

/** Starts the page server on `port` (0: a free one). */
export async function startWebServer(options: {
  readonly port: number;
  readonly webDir: string;
  readonly chat: ChatApiStandIn;
  readonly player: ChatPlayer;
  readonly operator: Operator;
  readonly log: EventLogFeed;
  readonly info: PageInfo;
}): Promise<StandIn> {
  const { chat, player, operator, log } = options;
  const notices = new EventEmitter();
  notices.setMaxListeners(100);

  const state = () => ({
    ...options.info,
    appUser: chat.appUser,
    spaces: chat.spaces().map((space) => ({
      ...space,
      members: chat.members(space.name ?? ''),
      messages: chat.messages(space.name ?? ''),
    })),
  });

  const stream = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.write('retry: 1000\n\n');
    const send = (kind: string) => (data: unknown) =>
      res.write(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`);
    const listeners = CHANGE_KINDS.map((kind) => [kind, send(kind)] as const);
    for (const [kind, listener] of listeners) chat.events.on(kind, listener);
    const onLog = send('log');
    const onNotice = send('notice');
    // The newest entries first, then each new one; both in one turn, so none is missed.
    for (const event of log.recent(200)) onLog(event);
    const stopLog = log.subscribe(onLog);
    notices.on('notice', onNotice);
    req.on('close', () => {
      for (const [kind, listener] of listeners) chat.events.off(kind, listener);
      stopLog();
      notices.off('notice', onNotice);
    });
  };

  const api = async (route: string, body: Record<string, unknown>): Promise<unknown> => {
    switch (route) {
      case '/api/message':
        return player.sendMessage({
          ...playRequest(body),
          text: str(body, 'text'),
          ...(typeof body['thread'] === 'string' ? { thread: body['thread'] } : {}),
        });
      case '/api/add-app':
        return player.addApp(playRequest(body));
      case '/api/remove-app':
        return player.removeApp(playRequest(body));
      case '/api/click': {
        const action = (body['action'] ?? {}) as Record<string, unknown>;
        return player.clickButton({
          ...playRequest(body),
          message: str(body, 'message'),
          action: {
            function: str(action, 'function'),
            parameters: parameters(action['parameters']),
          },
        });
      }
      case '/api/digest-now':
        return { messageId: await operator.runDigestsNow() };
      case '/api/alert':
        return {
          messageId: await operator.fireAlert({
            title:
              typeof body['title'] === 'string' && body['title']
                ? body['title']
                : 'Checkout latency above 2 s',
          }),
        };
      default:
        throw new HttpError(404, 'NOT_FOUND', 'No such route.');
    }
  };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    const file = req.method === 'GET' ? STATIC[url.pathname] : undefined;
    if (file !== undefined) {
      const content = await readFile(`${options.webDir}/${file}`);
      const type = TYPES[file.slice(file.lastIndexOf('.') + 1)] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(content);
    } else if (req.method === 'GET' && url.pathname === '/api/state') {
      sendJson(res, 200, state());
    } else if (req.method === 'GET' && url.pathname === '/api/stream') {
      stream(req, res);
    } else if (req.method === 'GET' && url.pathname === CONFIG_COMPLETE_PATH) {
      notices.emit('notice', {
        kind: 'config-complete',
        query: Object.fromEntries(url.searchParams),
      });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><meta charset="utf-8"><title>Spacelog: configuration complete</title>' +
          '<link rel="stylesheet" href="/style.css"><main class="done"><h1>Configuration complete</h1>' +
          '<p>You are signed in to Spacelog. You can close this tab and go back to the chat.</p></main>',
      );
    } else if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      const body = (await readJson(req)) as Record<string, unknown>;
      try {
        sendJson(res, 200, await api(url.pathname, body));
      } catch (error) {
        if (error instanceof HttpError) throw error;
        sendJson(res, 500, { error: { message: (error as Error).message } });
      }
    } else {
      sendJson(res, 404, { error: { message: 'Not found.' } });
    }
  };

  const server = await listen(handler, options.port);
  return server;
}
