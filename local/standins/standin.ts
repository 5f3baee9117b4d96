/**
 * The common shape of every local stand-in of a Google endpoint: a plain
 * `node:http` server on 127.0.0.1 with a few helpers for Google's wire
 * formats (JSON bodies, form bodies, the `{error:{code,message,status}}` shape).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** A running stand-in. */
export interface StandIn {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  readonly url: string;
  /** Stops listening and ends every open connection, keep-alive ones included. */
  close(): Promise<void>;
}

/** A request handler; a thrown error becomes a 500 in Google's error shape. */
export type StandInHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Thrown by the body readers; the server turns it into a Google error reply. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
    message: string,
  ) {
    super(message);
  }
}

/** Starts `handler` on 127.0.0.1 (`port` 0 picks a free one). */
export async function listen(handler: StandInHandler, port = 0): Promise<StandIn> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void Promise.resolve()
      .then(() => handler(req, res))
      .catch((error: unknown) => failRequest(res, error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;

  return {
    url: `http://127.0.0.1:${boundPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function failRequest(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error instanceof HttpError) {
    googleError(res, error.status, error.statusText, error.message);
    return;
  }
  googleError(res, 500, 'INTERNAL', 'Internal error in the local stand-in.');
}

/** Reads the raw body, refusing more than `limit` bytes with 413. */
export async function readBody(req: IncomingMessage, limit = 1_048_576): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new HttpError(413, 'INVALID_ARGUMENT', 'Request body too large.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads a JSON body (empty body reads as `{}`); malformed JSON is a 400. */
export async function readJson(req: IncomingMessage, limit = 1_048_576): Promise<unknown> {
  const body = await readBody(req, limit);
  if (body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new HttpError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.');
  }
}

/** Reads an `application/x-www-form-urlencoded` body. */
export async function readForm(req: IncomingMessage, limit = 1_048_576): Promise<URLSearchParams> {
  const body = await readBody(req, limit);
  return new URLSearchParams(body.toString('utf8'));
}

/** The request's path and query, parsed against a dummy origin. */
export function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://127.0.0.1');
}

/** Sends a JSON reply. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Sends Google's API error shape: `{error:{code,message,status}}`. */
export function googleError(
  res: ServerResponse,
  status: number,
  statusText: string,
  message: string,
): void {
  sendJson(res, status, { error: { code: status, message, status: statusText } });
}
