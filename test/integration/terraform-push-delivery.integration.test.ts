/**
 * The delivery path Terraform configures, run for real: a push subscription
 * (here on the Pub/Sub emulator) posts to a CloudEvent function at the
 * endpoint Terraform writes, `<function url>/<topic id>`, and the functions
 * framework hands the function a CloudEvent whose source names the topic,
 * which `chatPubsub` routes by. Only the OIDC token Pub/Sub adds on Google
 * Cloud is missing.
 */
import { PubSub } from '@google-cloud/pubsub';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodePubsubEvent,
  type CloudEventLike,
  type PubsubMessage,
} from '../../shared/pubsub-handler/message.js';
import { loadTerraform, nested, resource } from '../support/terraform-config.js';

const PROJECT = 'terraform-push-test';
const TOPIC = 'spacelog-alerts';

const received: PubsubMessage[] = [];
functions.cloudEvent<unknown>('terraformPushProbe', (event: CloudEventLike) => {
  received.push(decodePubsubEvent(event));
});

let server: Server;
let pubsub: PubSub;
beforeAll(async () => {
  server = getTestServer('terraformPushProbe');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pubsub = new PubSub({ projectId: PROJECT });
});
afterAll(async () => {
  await pubsub.close();
  await new Promise((resolve) => server.close(resolve));
});

/** The push endpoint Terraform writes, with the function URL and topic filled in. */
async function terraformEndpoint(functionUrl: string, topicId: string): Promise<string> {
  const push = resource(await loadTerraform(), 'google_pubsub_subscription', 'push');
  const template = String(nested(push.body, 'push_config')['push_endpoint']);
  return template
    .replace('${each.value.function.service_config[0].uri}', functionUrl)
    .replace('${each.value.topic.id}', topicId);
}

describe('push delivery as Terraform configures it', () => {
  it('reaches a CloudEvent function as an event whose source names the topic', async () => {
    const { port } = server.address() as AddressInfo;
    const endpoint = await terraformEndpoint(
      `http://127.0.0.1:${port}`,
      `projects/${PROJECT}/topics/${TOPIC}`,
    );
    expect(endpoint).toBe(`http://127.0.0.1:${port}/projects/${PROJECT}/topics/${TOPIC}`);

    const [topic] = await pubsub.createTopic(TOPIC);
    await topic.createSubscription(`${TOPIC}-push`, { pushConfig: { pushEndpoint: endpoint } });
    await topic.publishMessage({
      data: Buffer.from(JSON.stringify({ incident: { incident_id: 'i-1' } })),
      attributes: { origin: 'monitoring' },
    });

    for (let i = 0; i < 600 && received.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(received).toHaveLength(1);
    const message = received[0]!;
    expect(message.topic).toBe(TOPIC);
    expect(message.attributes).toEqual({ origin: 'monitoring' });
    expect(JSON.parse(message.data.toString('utf8'))).toEqual({ incident: { incident_id: 'i-1' } });
  });
});
