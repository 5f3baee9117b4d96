/**
 * Alerts on the alerts topic, read into one {@link Alert}. Two shapes are
 * accepted: Spacelog's own JSON alert, and Cloud Monitoring's Pub/Sub
 * notification (schema version 1.2).
 *
 * Spacelog alert (any monitoring system can publish it; unknown fields are
 * ignored):
 *
 * ```json
 * {
 *   "key": "checkout-5xx-2026-03-01",
 *   "status": "firing",
 *   "title": "Checkout answers 5xx",
 *   "severity": "critical",
 *   "summary": "12% of checkout requests failed in the last 5 minutes.",
 *   "link": "https://grafana.example.com/d/checkout",
 *   "responders": ["users/1234567890", "oncall@example.com"],
 *   "startedAt": "2026-03-01T09:58:00Z"
 * }
 * ```
 *
 * - `key` (required): names the incident across its alerts, 1 to 128 of
 *   `A-Z a-z 0-9 . _ : -`. A second firing alert with the same key is the
 *   same incident; a `resolved` one resolves it.
 * - `status`: `firing` (default) or `resolved`.
 * - `title` (required when firing): at most 256 characters.
 * - `severity` (at most 32), `summary` (at most 4,096), `link` (http or https).
 * - `responders`: up to 50 Chat users, `users/ID` or email addresses.
 * - `startedAt`: ISO 8601; defaults to when Pub/Sub received the alert.
 *
 * Cloud Monitoring: `{"incident": {...}, "version": "1.2"}` with
 * `incident_id` (the key), `state` (`open` or `closed`), `policy_name`,
 * `condition_name`, `summary`, `url`, `severity`, `resource_display_name`
 * and `started_at` (Unix seconds). Monitoring names no responders: those
 * come from `INCIDENT_RESPONDERS`.
 * https://cloud.google.com/monitoring/support/notification-options#pubsub
 */
import * as v from 'valibot';
import { invalidInput } from '../errors.js';

/** An alert, whatever shape it came in. */
export interface Alert {
  /** The alert's own key (Spacelog `key`, Monitoring `incident_id`): the incident key. */
  readonly key: string;
  readonly format: 'spacelog' | 'monitoring';
  readonly status: 'firing' | 'resolved';
  /** Present when firing. */
  readonly title?: string;
  readonly severity?: string;
  readonly summary?: string;
  readonly link?: string;
  /** As the alert named them (`users/ID` or emails), not yet normalised. */
  readonly responders: readonly string[];
  /** ISO 8601, when the alert says. */
  readonly startedAt?: string;
}

/** The characters an alert key may use: they become part of a stream id. */
export const ALERT_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

const httpUrl = v.pipe(
  v.string(),
  v.maxLength(2048),
  v.check((s) => /^https?:\/\/[^\s]+$/i.test(s), 'an http(s) URL'),
);

const SpacelogAlertSchema = v.object({
  key: v.pipe(v.string(), v.regex(ALERT_KEY)),
  status: v.optional(v.picklist(['firing', 'resolved']), 'firing'),
  title: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(256))),
  severity: v.optional(v.pipe(v.string(), v.maxLength(32))),
  summary: v.optional(v.pipe(v.string(), v.maxLength(4096))),
  link: v.optional(httpUrl),
  responders: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(320))), v.maxLength(50)),
  ),
  startedAt: v.optional(
    v.pipe(
      v.string(),
      v.check((s) => !Number.isNaN(Date.parse(s)), 'a date'),
    ),
  ),
});

const text = v.optional(v.nullable(v.string()));

const MonitoringSchema = v.object({
  version: v.string(),
  incident: v.object({
    incident_id: v.pipe(v.string(), v.regex(ALERT_KEY)),
    state: v.string(),
    policy_name: text,
    condition_name: text,
    summary: text,
    url: text,
    severity: text,
    resource_display_name: text,
    started_at: v.optional(v.nullable(v.union([v.number(), v.string()]))),
  }),
});

/**
 * Reads an alert from a message's decoded JSON data. Throws `invalid-input`
 * with a fixed `reason` (never the value) when it is neither shape.
 */
export function parseAlert(data: unknown): Alert {
  const shape = data as { incident?: unknown; key?: unknown } | null;
  if (typeof shape === 'object' && shape !== null && typeof shape.incident === 'object') {
    return monitoringAlert(data);
  }
  if (typeof shape === 'object' && shape !== null && 'key' in shape) return spacelogAlert(data);
  throw invalidInput('Alert is in no known shape.', { reason: 'unknown-alert-shape' });
}

function spacelogAlert(data: unknown): Alert {
  const result = v.safeParse(SpacelogAlertSchema, data);
  if (!result.success) throw malformed('spacelog', result.issues[0]);
  const a = result.output;
  if (a.status === 'firing' && a.title === undefined) {
    throw invalidInput('Firing alert has no title.', { reason: 'alert-field', field: 'title' });
  }
  return {
    key: a.key,
    format: 'spacelog',
    status: a.status,
    responders: a.responders ?? [],
    ...(a.title !== undefined && { title: a.title }),
    ...(a.severity !== undefined && a.severity !== '' && { severity: a.severity }),
    ...(a.summary !== undefined && a.summary !== '' && { summary: a.summary }),
    ...(a.link !== undefined && { link: a.link }),
    ...(a.startedAt !== undefined && { startedAt: new Date(a.startedAt).toISOString() }),
  };
}

function monitoringAlert(data: unknown): Alert {
  const result = v.safeParse(MonitoringSchema, data);
  if (!result.success) throw malformed('monitoring', result.issues[0]);
  const i = result.output.incident;
  const state = i.state.toLowerCase();
  if (state !== 'open' && state !== 'closed') {
    throw invalidInput('Monitoring incident state is unknown.', {
      reason: 'alert-field',
      field: 'incident.state',
    });
  }
  const title = cut(i.policy_name ?? i.condition_name ?? 'Cloud Monitoring alert', 256);
  const lines = [
    i.summary,
    i.condition_name ? `Condition: ${i.condition_name}` : undefined,
    i.resource_display_name ? `Resource: ${i.resource_display_name}` : undefined,
  ].filter((line): line is string => typeof line === 'string' && line !== '');
  const startedAt = unixTime(i.started_at);
  const link = i.url !== null && i.url !== undefined && v.is(httpUrl, i.url) ? i.url : undefined;
  return {
    key: i.incident_id,
    format: 'monitoring',
    status: state === 'open' ? 'firing' : 'resolved',
    title: title === '' ? 'Cloud Monitoring alert' : title,
    responders: [],
    ...(i.severity ? { severity: cut(i.severity, 32) } : {}),
    ...(lines.length > 0 && { summary: cut(lines.join('\n'), 4096) }),
    ...(link !== undefined && { link }),
    ...(startedAt !== undefined && { startedAt }),
  };
}

/** Monitoring's `started_at`: Unix seconds, as a number or a string. */
function unixTime(value: number | string | null | undefined): string | undefined {
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return undefined;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const cut = (s: string, max: number) => s.trim().slice(0, max);

function malformed(format: string, issue: v.BaseIssue<unknown> | undefined) {
  // The issue's message quotes the value; only the path is safe to report.
  const field = (issue ? v.getDotPath(issue) : null) ?? '(alert)';
  return invalidInput('Alert is malformed.', { reason: 'alert-field', format, field });
}
