/**
 * http.chatEvents: requests a second that `chatEvents` answers (verification
 * on against the certificate stand-in, in-memory event log, Spacelog's real
 * behaviour: a mention recorded and answered), over a functions-framework
 * function that answers a constant, in the same run. Both get the very same
 * requests (body and headers), so the baseline pays what the framework and
 * the transport cost for that traffic and the ratio is what our handling
 * adds. Each server runs in its own process (this file, started with
 * BENCH_HTTP_SERVER set), driven over loopback with 20 keep-alive
 * connections and a bounded number of requests. Tokens are reused for a
 * while, as a sender that caches them would. Goal: ratio >= 0.6.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { figure, median, type Bench } from './figure.js';

const REQUESTS = Number(process.env['BENCH_HTTP_REQUESTS'] ?? 3000);
const CONCURRENCY = 20;
const ROUNDS = 9;
const TOKEN_REUSE = 100;
const REQUEST_TIMEOUT_MS = 30_000;
const AUDIENCE = 'https://chat-events.example.test/';

/** Child side: serve one function on a free loopback port and print it. */
async function serve(which: string): Promise<void> {
  const functions = await import('@google-cloud/functions-framework');
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  if (which === 'chatEvents') {
    const { loadConfig } = await import('../shared/config.js');
    const { buildChatEventsFromConfig } = await import('../shared/app/chat-events-from-config.js');
    const config = loadConfig(process.env);
    const publisher = { publish: () => Promise.resolve('0') };
    functions.http('bench', buildChatEventsFromConfig(config, { publisher }));
  } else {
    functions.http('bench', (_req, res) => {
      res.json({ text: 'ok' });
    });
  }
  const server = getTestServer('bench');
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    console.log(`PORT ${typeof address === 'object' && address ? address.port : 0}`);
  });
}

if (process.env['BENCH_HTTP_SERVER'] !== undefined) await serve(process.env['BENCH_HTTP_SERVER']);

async function startServer(
  which: string,
  env: Record<string, string>,
): Promise<{ port: number; child: ChildProcess }> {
  // The server is this very process (node with tsx's loader), not a tsx wrapper: killing it stops it.
  const child = spawn(process.execPath, ['--import', 'tsx', import.meta.filename], {
    env: { ...process.env, ...env, BENCH_HTTP_SERVER: which },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match?.[1] !== undefined) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${which} server exited (${code})`)));
  });
  return { port, child };
}

/** Sends `REQUESTS` requests with `CONCURRENCY` in flight; resolves with requests per second. */
async function drive(
  port: number,
  next: (i: number) => { body: string; headers: Record<string, string> },
) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  let failed = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const { body, headers } = next(i);
      const sized = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
      const req = request(
        { host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: sized },
        (res) => {
          if (res.statusCode !== 200) failed += 1;
          res.resume();
          res.on('end', resolve);
        },
      );
      req.on('error', reject);
      // A request left unanswered fails the run instead of stalling it.
      req.setTimeout(REQUEST_TIMEOUT_MS, () =>
        req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)),
      );
      req.end(body);
    });
  const worker = async () => {
    while (sent < REQUESTS) await one(sent++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (failed > 0) throw new Error(`${failed} requests were not answered 200`);
  return REQUESTS / seconds;
}

export const run: Bench = async () => {
  const { startCerts, mintEndpointIdToken } = await import('../local/standins/certs.js');
  const certs = await startCerts();
  const env = {
    CHAT_AUDIENCE_KIND: 'endpoint-url',
    CHAT_AUDIENCE: AUDIENCE,
    GOOGLE_CERTS_URL: certs.googleCertsUrl,
    EVENT_STORE: 'memory',
    LOG_LEVEL: 'ERROR',
  };
  const ours = await startServer('chatEvents', env);
  const constant = await startServer('constant', {});

  let round = 0;
  let token = '';
  const mention = (i: number) => {
    if (i % TOKEN_REUSE === 0) token = mintEndpointIdToken(certs, { audience: AUDIENCE });
    const body = JSON.stringify({
      type: 'MESSAGE',
      eventTime: new Date(Date.UTC(2026, 0, 1, round, 0, 0, i)).toISOString(),
      space: { name: `spaces/BENCH${i % 50}`, spaceType: 'SPACE' },
      user: { name: `users/${i % 7}`, type: 'HUMAN' },
      message: {
        name: `spaces/BENCH${i % 50}/messages/r${round}m${i}`,
        text: '@Spacelog hello',
        argumentText: ' hello',
      },
    });
    return {
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    };
  };

  const value: number[] = [];
  const baseline: number[] = [];
  try {
    await drive(ours.port, mention); // warm-up: JIT, certificate fetch
    await drive(constant.port, mention);
    // The order alternates, so drift in the machine's load favours neither side.
    for (round = 1; round <= ROUNDS; round += 1) {
      if (round % 2 === 0) baseline.push(await drive(constant.port, mention));
      value.push(await drive(ours.port, mention));
      if (round % 2 === 1) baseline.push(await drive(constant.port, mention));
    }
  } finally {
    ours.child.kill('SIGKILL');
    constant.child.kill('SIGKILL');
    await certs.close();
  }
  return [figure('http.chatEvents', median(value), 'req/s', median(baseline), { min: 0.6 })];
};
