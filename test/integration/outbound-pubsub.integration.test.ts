import { createServer, type Server } from 'node:http';
import { PubSub, type Message, type Subscription } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config.js';
import { createRuntimeAuth } from '../../shared/google-auth.js';
import { silentLogger } from '../../shared/log.js';
import { systemRuntime } from '../../shared/outbound/runtime.js';
import { createPublisher, createRestPublisher } from '../../shared/pubsub-rest.js';

const PROJECT = 'outbound-pubsub';
const emulator = () => {
  const host = process.env['PUBSUB_EMULATOR_HOST'];
  if (!host)
    throw new Error(
      'PUBSUB_EMULATOR_HOST is not set: the global setup did not start the emulator.',
    );
  return host;
};

let pubsub: PubSub;
let subscription: Subscription;
const arrived: Message[] = [];
const waiting: ((m: Message) => void)[] = [];

beforeAll(async () => {
  // The client finds the emulator through PUBSUB_EMULATOR_HOST, set by the global setup.
  emulator();
  pubsub = new PubSub({ projectId: PROJECT });
  const [topic] = await pubsub.createTopic('commands');
  [subscription] = await topic.createSubscription('commands-pull', { enableMessageOrdering: true });
  subscription.on('message', (message: Message) => {
    message.ack();
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else arrived.push(message);
  });
});

afterAll(async () => {
  await subscription.close();
  await pubsub.close();
});

/** The next message the subscription receives. */
async function pullOne(): Promise<{
  data: unknown;
  attributes: Record<string, string>;
  orderingKey: string;
}> {
  const message =
    arrived.shift() ?? (await new Promise<Message>((resolve) => waiting.push(resolve)));
  return {
    data: JSON.parse(message.data.toString('utf8')) as unknown,
    attributes: { ...message.attributes },
    orderingKey: message.orderingKey ?? '',
  };
}

describe('REST publisher against the Pub/Sub emulator', () => {
  it('publishes data, attributes and an ordering key that a subscriber receives', async () => {
    const config = loadConfig({
      GOOGLE_CLOUD_PROJECT: PROJECT,
      PUBSUB_URL: `http://${emulator()}`,
      RUNTIME_CREDENTIALS: 'none-local-only',
    });
    const publisher = createPublisher(
      config,
      createRuntimeAuth(config),
      systemRuntime(silentLogger),
    );
    const id = await publisher.publish('commands', {
      data: { command: 'OpenIncident', title: 'Disk full' },
      attributes: { 'spacelog-command': 'OpenIncident' },
      orderingKey: 'incident-1',
    });
    expect(id).toMatch(/^\d+$/);
    expect(await pullOne()).toEqual({
      data: { command: 'OpenIncident', title: 'Disk full' },
      attributes: { 'spacelog-command': 'OpenIncident' },
      orderingKey: 'incident-1',
    });
  });

  it('retries 503 and 429 answers in front of the emulator and publishes once', async () => {
    let failures = 2;
    let forwarded = 0;
    const proxy: Server = createServer((req, res) => {
      if (failures > 0) {
        failures -= 1;
        res.writeHead(failures === 1 ? 503 : 429, { 'retry-after': '0' }).end('{}');
        return;
      }
      forwarded += 1;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void fetch(`http://${emulator()}${req.url ?? ''}`, {
          method: req.method ?? 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        }).then(async (answer) => {
          res
            .writeHead(answer.status, { 'content-type': 'application/json' })
            .end(await answer.text());
        });
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const publisher = createRestPublisher({
        projectId: PROJECT,
        pubsubUrl: `http://127.0.0.1:${port}`,
        auth: createRuntimeAuth({ runtimeCredentials: 'none-local-only' }),
        runtime: systemRuntime(silentLogger),
      });
      await publisher.publish('commands', { data: { n: 1 } });
      expect(forwarded).toBe(1);
      expect((await pullOne()).data).toEqual({ n: 1 });
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('refuses an unknown topic as not found, without retrying', async () => {
    const publisher = createRestPublisher({
      projectId: PROJECT,
      pubsubUrl: `http://${emulator()}`,
      auth: createRuntimeAuth({ runtimeCredentials: 'none-local-only' }),
      runtime: systemRuntime(silentLogger),
    });
    await expect(publisher.publish('no-such-topic', { data: {} })).rejects.toMatchObject({
      code: 'not-found',
      details: { attempts: 1 },
    });
  });
});
