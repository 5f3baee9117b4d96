/**
 * What the platform does on its own, on the page's buttons: Cloud Scheduler's
 * tick (published to the digest-ticks topic, as the scheduler job does) and a
 * Cloud Monitoring alert (published to the alerts topic, as a Pub/Sub
 * notification channel does, in Monitoring's incident notification shape).
 * https://cloud.google.com/monitoring/support/notification-options#pubsub
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../shared/config.js';
import { DEMO_PROJECT } from './demo.js';
import { publishJson } from './delivery.js';
import type { Operator } from './web-server.js';
import { DIGEST_TICKS_TOPIC } from './topics.js';

/** The body of a Cloud Monitoring incident notification (schema version 1.2). */
export function monitoringIncident(title: string, now: Date): Record<string, unknown> {
  const id = `0.${randomBytes(6).toString('hex')}`;
  return {
    incident: {
      incident_id: id,
      scoping_project_id: DEMO_PROJECT.id,
      scoping_project_number: Number(DEMO_PROJECT.number),
      url: `https://console.cloud.google.com/monitoring/alerting/incidents/${id}?project=${DEMO_PROJECT.id}`,
      started_at: Math.floor(now.getTime() / 1000),
      ended_at: null,
      state: 'open',
      summary: title,
      policy_name: 'Checkout latency',
      condition_name: 'p95 latency above 2 s for 5 min',
      resource_type_display_name: 'Cloud Run Revision',
      resource_display_name: 'checkout',
      observed_value: '2.7',
      threshold_value: '2',
      documentation: {
        content: 'Check the checkout service dashboards; roll back the last release if needed.',
        mime_type: 'text/markdown',
        subject: title,
      },
    },
    version: '1.2',
  };
}

/** The operator for the stack's Pub/Sub base URL. */
export function createOperator(options: {
  readonly pubsubUrl: string;
  readonly config: Pick<Config, 'alertsTopic'>;
}): Operator {
  return {
    runDigestsNow: () =>
      publishJson(options.pubsubUrl, DIGEST_TICKS_TOPIC, { source: 'spacelog-local-page' }),
    fireAlert: ({ title }) =>
      publishJson(
        options.pubsubUrl,
        options.config.alertsTopic,
        monitoringIncident(title, new Date()),
      ),
  };
}
