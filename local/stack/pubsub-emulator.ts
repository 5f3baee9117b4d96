/**
 * Wires the Pub/Sub emulator like the deployment: one topic per route and a
 * push subscription to the function it triggers. The emulator pushes
 * `{message, subscription}` bodies and redelivers on a non-2xx answer.
 * https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.subscriptions/create
 */
import { pushEndpoint, type TopicRoute } from './topics.js';

async function put(url: string, body?: unknown): Promise<void> {
  const res = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // 409: made already (a restarted stack reusing an emulator).
  if (!res.ok && res.status !== 409) {
    throw new Error(`Pub/Sub emulator refused ${new URL(url).pathname}: ${res.status}`);
  }
}

/** Creates the topics and push subscriptions on the emulator at `host` (`127.0.0.1:PORT`). */
export async function wireEmulator(
  host: string,
  projectId: string,
  routes: readonly TopicRoute[],
  functionUrl: (route: TopicRoute) => string,
): Promise<void> {
  const base = `http://${host}/v1/projects/${projectId}`;
  for (const topic of new Set(routes.map((r) => r.topic))) await put(`${base}/topics/${topic}`);
  for (const route of routes) {
    await put(`${base}/subscriptions/${route.subscription}`, {
      topic: `projects/${projectId}/topics/${route.topic}`,
      pushConfig: { pushEndpoint: pushEndpoint(functionUrl(route), projectId, route.topic) },
      ackDeadlineSeconds: 60,
    });
  }
}
