import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lightFetch } from '../../shared/http/client.js';
import { listen, readBody, sendJson, type StandIn } from '../../local/standins/standin.js';

/** What the server saw of each request. */
interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  port: number;
}

let server: StandIn;
const seen: Seen[] = [];
/** The `/closes-reused` groups each connection served. */
const servedOn = new WeakMap<object, Set<string>>();

beforeAll(async () => {
  server = await listen(async (req, res) => {
    const body = (await readBody(req, 1 << 20)).toString('utf8');
    const path = req.url ?? '/';
    seen.push({
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
      port: req.socket.remotePort ?? 0,
    });
    // `/closes-reused/GROUP/...`: a connection that served GROUP once is closed unanswered.
    const group = /^\/closes-reused\/(\w+)\//.exec(path)?.[1];
    if (group !== undefined) {
      const groups = servedOn.get(req.socket) ?? new Set<string>();
      servedOn.set(req.socket, groups);
      if (groups.has(group)) return void req.socket.destroy();
      groups.add(group);
    }
    if (path === '/slow') return void setTimeout(() => sendJson(res, 200, { late: true }), 2000);
    if (path === '/missing') return sendJson(res, 404, { error: 'no such thing' });
    if (path === '/cut') {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"partial":');
      return void setTimeout(() => res.destroy(), 20);
    }
    sendJson(res, 200, { echo: body }, { 'cache-control': 'public, max-age=600' });
  });
});

afterAll(() => server.close());

describe('light HTTP client over a real socket', () => {
  it('sends method, headers and body, and reads status, headers and JSON', async () => {
    const answer = await lightFetch(`${server.url}/commit?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer abc' },
      body: '{"writes":["é"]}',
    });
    expect(answer.status).toBe(200);
    expect(answer.ok).toBe(true);
    expect(answer.headers.get('Cache-Control')).toBe('public, max-age=600');
    expect(answer.headers.get('x-absent')).toBeNull();
    expect(await answer.json()).toEqual({ echo: '{"writes":["é"]}' });

    const request = seen.at(-1)!;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/commit?x=1',
      body: '{"writes":["é"]}',
    });
    expect(request.headers['authorization']).toBe('Bearer abc');
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength('{"writes":["é"]}')));
  });

  it('reports a non-2xx answer as not ok, with its body', async () => {
    const answer = await lightFetch(`${server.url}/missing`, {});
    expect(answer.status).toBe(404);
    expect(answer.ok).toBe(false);
    expect(await answer.text()).toBe('{"error":"no such thing"}');
  });

  it('keeps the connection alive between calls to the same origin', async () => {
    await lightFetch(`${server.url}/a`, {});
    await lightFetch(`${server.url}/b`, {});
    const [a, b] = seen.slice(-2);
    expect(a!.port).toBe(b!.port);
  });

  it('sends a GET again on a new connection when a kept-alive one turns out closed', async () => {
    const first = await lightFetch(`${server.url}/closes-reused/get/a`, {});
    const second = await lightFetch(`${server.url}/closes-reused/get/b`, {});
    expect([first.status, second.status]).toEqual([200, 200]);
    const [a, dropped, b] = seen.slice(-3);
    expect(dropped!.port).toBe(a!.port);
    expect(b!.port).not.toBe(a!.port);
  });

  it('does not send a POST again when its kept-alive connection turns out closed', async () => {
    await lightFetch(`${server.url}/closes-reused/post/c`, { method: 'POST', body: '{}' });
    const repeat = lightFetch(`${server.url}/closes-reused/post/d`, { method: 'POST', body: '{}' });
    await expect(repeat).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects when the signal aborts before the answer', async () => {
    const call = lightFetch(`${server.url}/slow`, { signal: AbortSignal.timeout(50) });
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects an answer cut off before its end', async () => {
    await expect(lightFetch(`${server.url}/cut`, {})).rejects.toBeInstanceOf(Error);
  });

  it('rejects an unreachable origin and a protocol it does not speak', async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    await expect(lightFetch(`${closed.url}/`, {})).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(lightFetch('ftp://127.0.0.1/', {})).rejects.toBeInstanceOf(TypeError);
  });
});
