/**
 * Pub/Sub in the Terraform configuration: the five topics, one push
 * subscription per topic a function consumes (to that function), a retry
 * policy and a dead-letter policy on every subscription that delivers, kept
 * dead letters, the Pub/Sub service agent's rights, and the digest clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOY_MANIFEST, type TopicRole } from '../../shared/deploy-manifest.js';
import {
  expression,
  loadTerraform,
  local,
  nested,
  refs,
  resource,
  resources,
  snake,
  type TerraformConfig,
  text,
} from '../support/terraform-config.js';

const TOPICS: readonly TopicRole[] = [
  'interactions',
  'workspaceEvents',
  'alerts',
  'digestTicks',
  'digestJobs',
];

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
});

const pushMap = () => local(tf, 'push_subscriptions') as Record<string, Record<string, unknown>>;

describe('topics and push subscriptions', () => {
  it('create every topic Spacelog uses', () => {
    for (const role of TOPICS) resource(tf, 'google_pubsub_topic', snake(role));
  });

  it('push each consumed topic to exactly the function that consumes it', () => {
    const expected = DEPLOY_MANIFEST.flatMap((f) =>
      f.consumes.map((t) => `${snake(t)} -> ${snake(f.entryPoint)}`),
    );
    const configured = Object.entries(pushMap()).map(([key, v]) => {
      expect(refs(v['topic'], 'google_pubsub_topic'), key).toEqual([key]);
      return `${key} -> ${refs(v['function'], 'google_cloudfunctions2_function').join()}`;
    });
    expect(configured.sort()).toEqual(expected.sort());

    const push = resource(tf, 'google_pubsub_subscription', 'push');
    expect(expression(push.body['for_each'])).toBe('local.push_subscriptions');
    const endpoint = text(nested(push.body, 'push_config')['push_endpoint']);
    // The path names the topic, which the functions framework turns into the CloudEvent source.
    expect(endpoint).toBe('${each.value.function.service_config[0].uri}/${each.value.topic.id}');
  });

  it('never let Eventarc create subscriptions, whose dead-letter policy Terraform cannot set', () => {
    expect(resources(tf, 'google_eventarc_trigger')).toEqual([]);
    for (const fn of resources(tf, 'google_cloudfunctions2_function')) {
      expect(fn.body['event_trigger'], fn.name).toBeUndefined();
    }
  });
});

describe('delivery failures', () => {
  it('retry with backoff and dead-letter on every subscription that delivers', () => {
    const maxAttempts = tf.blocks.find(
      (b) => b.kind === 'variable' && b.name === 'max_delivery_attempts',
    );
    expect(maxAttempts?.body['default']).toBeGreaterThanOrEqual(5);
    expect(maxAttempts?.body['default']).toBeLessThanOrEqual(100);

    const delivering = resources(tf, 'google_pubsub_subscription').filter(
      (s) => s.name !== 'dead_letter',
    );
    expect(delivering.length).toBeGreaterThan(0);
    for (const sub of delivering) {
      const policy = nested(sub.body, 'dead_letter_policy');
      expect(refs(policy['dead_letter_topic'], 'google_pubsub_topic'), sub.name).toEqual([
        'dead_letter',
      ]);
      expect(policy['max_delivery_attempts'], sub.name).toBe('${var.max_delivery_attempts}');
      const retry = nested(sub.body, 'retry_policy');
      expect(retry['minimum_backoff'], sub.name).toBeDefined();
      expect(retry['maximum_backoff'], sub.name).toBeDefined();
      expect(nested(sub.body, 'expiration_policy')['ttl'], sub.name).toBe('');
    }
  });

  it('exempt only the subscriptions that keep dead letters, one per dead-letter topic', () => {
    const holding = resource(tf, 'google_pubsub_subscription', 'dead_letter');
    expect(expression(holding.body['for_each'])).toBe('google_pubsub_topic.dead_letter');
    expect(expression(holding.body['topic'])).toBe('each.value.id');
    expect(holding.body['dead_letter_policy']).toBeUndefined();

    const deadLetter = resource(tf, 'google_pubsub_topic', 'dead_letter');
    expect(expression(deadLetter.body['for_each'])).toBe('local.push_subscriptions');
  });

  it('give the Pub/Sub service agent publish on dead-letter topics and subscribe on sources', () => {
    expect(text(local(tf, 'pubsub_service_agent'))).toMatch(
      /@gcp-pubsub\.iam\.gserviceaccount\.com$/,
    );
    const agent = 'serviceAccount:${local.pubsub_service_agent}';

    const publish = resources(tf, 'google_pubsub_topic_iam_member').filter(
      (b) => b.body['member'] === agent,
    );
    expect(publish.map((b) => [b.body['role'], expression(b.body['for_each'])])).toEqual([
      ['roles/pubsub.publisher', 'google_pubsub_topic.dead_letter'],
    ]);
    const subscribe = resources(tf, 'google_pubsub_subscription_iam_member').filter(
      (b) => b.body['member'] === agent,
    );
    expect(subscribe.map((b) => [b.body['role'], expression(b.body['for_each'])])).toEqual([
      ['roles/pubsub.subscriber', 'google_pubsub_subscription.push'],
    ]);
  });
});

describe('the digest clock', () => {
  it('publishes ticks to the digest-ticks topic, with retries', () => {
    const jobs = resources(tf, 'google_cloud_scheduler_job');
    expect(jobs).toHaveLength(1);
    const target = nested(jobs[0]!.body, 'pubsub_target');
    expect(refs(target['topic_name'], 'google_pubsub_topic')).toEqual(['digest_ticks']);
    expect(target['data']).toBeDefined();
    expect(nested(jobs[0]!.body, 'retry_config')['retry_count']).toBeGreaterThan(0);
    expect(jobs[0]!.body['schedule']).toBe('${var.digest_schedule}');
  });
});
