import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpacelogError } from '../../shared/errors.js';
import { ALERT_KEY, parseAlert } from '../../shared/incidents/index.js';
import { anyJson, nearValid } from '../support/fuzz-arbitraries.js';

const TEMPLATES = [
  {
    key: 'checkout-5xx-2026-03-01',
    status: 'firing',
    title: 'Checkout answers 5xx',
    severity: 'critical',
    summary: '12% of checkout requests failed.',
    link: 'https://grafana.example.com/d/checkout',
    responders: ['users/1234567890', 'oncall@example.com'],
    startedAt: '2026-03-01T09:58:00Z',
  },
  { key: 'disk-full', status: 'resolved' },
  {
    version: '1.2',
    incident: {
      incident_id: '0.abc123',
      scoping_project_id: 'p',
      url: 'https://console.cloud.google.com/monitoring/alerting/incidents/0.abc123',
      started_at: 1772359200,
      ended_at: null,
      state: 'open',
      summary: 'Latency above threshold',
      policy_name: 'Checkout latency',
      condition_name: 'p95 above 2 s',
      resource_display_name: 'checkout',
      severity: 'Warning',
    },
  },
];

/** Parses `input`; any throw other than the coded `invalid-input` fails the property. */
function parsesOrRefuses(input: unknown): void {
  try {
    const alert = parseAlert(input);
    expect(alert.key).toMatch(ALERT_KEY);
    if (alert.status === 'firing') expect(alert.title?.length).toBeGreaterThan(0);
    if (alert.startedAt !== undefined)
      expect(Number.isNaN(Date.parse(alert.startedAt))).toBe(false);
  } catch (error) {
    if (!(error instanceof SpacelogError) || error.code !== 'invalid-input') throw error;
    expect(typeof error.details.reason).toBe('string');
  }
}

describe('the alert parser under fuzzing', () => {
  it('parses every template as it stands', () => {
    for (const template of TEMPLATES) expect(() => parseAlert(template)).not.toThrow();
  });

  it('refuses arbitrary JSON and any other value only with invalid-input', () => {
    fc.assert(fc.property(fc.oneof(anyJson, fc.anything()), parsesOrRefuses), { numRuns: 2000 });
  });

  it('parses or refuses with invalid-input every mutation of a valid alert of either shape', () => {
    fc.assert(fc.property(nearValid(TEMPLATES), parsesOrRefuses), { numRuns: 5000 });
  });
});
