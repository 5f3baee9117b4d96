/**
 * A small HTTP client over `node:http` and `node:https`, for the calls on
 * `chatEvents`' request path (certificates, Firestore REST, the metadata
 * server's token). Node's global `fetch` loads its bundled undici on first
 * use, about 20 to 30 ms of a cold start on these machines, for requests
 * that need none of what it adds: small JSON bodies, no redirects, no
 * compression asked for. Connections are kept alive per origin.
 *
 * The answer has the part of `Response` those callers read, so a `Response`
 * from `fetch` is one too (tests pass their own fetch).
 */
import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';

// Required, not imported: an ES import of `node:http` builds its module
// namespace by reading every export, and its lazy `WebSocket` getters load
// undici, the very cost this client avoids.
const requireBuiltin = createRequire(import.meta.url);
const http = requireBuiltin('node:http') as typeof Http;
const https = requireBuiltin('node:https') as typeof Https;

/** The part of a fetch `Response` our callers use. */
export interface HttpAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** What a request may carry. */
export interface HttpCall {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

/** A fetch-shaped function: `lightFetch`, or `fetch` itself. */
export type FetchLike = (url: string, init: HttpCall) => Promise<HttpAnswer>;

/** Largest answer read; a bigger one fails the call rather than fill memory. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

const agents = {
  http: new http.Agent({ keepAlive: true }),
  https: new https.Agent({ keepAlive: true }),
};

/** Sends one request and reads the whole answer. Rejects on network errors and aborts. */
export const lightFetch: FetchLike = (url, init) => {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') {
    return Promise.reject(new TypeError(`Unsupported protocol ${target.protocol}`));
  }
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const headers: Record<string, string | number> = { ...init.headers };
  if (body !== undefined) headers['content-length'] = body.length;

  const options = {
    method: init.method ?? 'GET',
    headers,
    agent: secure ? agents.https : agents.http,
    ...(init.signal === undefined ? {} : { signal: init.signal }),
  };
  const idempotent = options.method === 'GET';
  const send = (retried: boolean) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const req = (secure ? https.request : http.request)(target, options, (res) => {
        readAll(res).then((raw) => resolve(answer(res, raw)), reject);
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive connection the server closed while it sat idle fails
        // at once: a GET is sent again once, on a new connection. Other
        // methods fail; their callers decide whether a repeat is safe.
        const stale = req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE');
        if (stale && idempotent && !retried && init.signal?.aborted !== true) resolve(send(true));
        else reject(err);
      });
      req.end(body);
    });
  return send(false);
};

function readAll(res: Http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_ANSWER_BYTES) {
        res.destroy(new RangeError('Answer larger than the client reads.'));
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('Answer cut off.')));
  });
}

function answer(res: Http.IncomingMessage, raw: Buffer): HttpAnswer {
  const status = res.statusCode ?? 0;
  const text = () => raw.toString('utf8');
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: {
      get(name) {
        const value = res.headers[name.toLowerCase()];
        return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
      },
    },
    text: () => Promise.resolve(text()),
    json: () => new Promise((resolve) => resolve(JSON.parse(text()) as unknown)),
  };
}
