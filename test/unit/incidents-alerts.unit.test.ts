import { describe, expect, it } from 'vitest';
import { SpacelogError } from '../../shared/errors.js';
import {
  mergeResponders,
  parseAlert,
  requestFromAlert,
  requestFromCommand,
} from '../../shared/incidents/index.js';

/** The error `parseAlert` throws for `data`. */
function refusal(data: unknown): SpacelogError {
  try {
    parseAlert(data);
  } catch (err) {
    if (err instanceof SpacelogError) return err;
  }
  throw new Error('parseAlert accepted the data.');
}

/** A Cloud Monitoring notification, schema version 1.2, as Pub/Sub carries it. */
const monitoring = (state: string, extra: Record<string, unknown> = {}) => ({
  version: '1.2',
  incident: {
    incident_id: '0.mtdi83m6w8ao',
    scoping_project_id: 'spacelog-prod',
    scoping_project_number: 12345,
    url: 'https://console.cloud.google.com/monitoring/alerting/incidents/0.mtdi83m6w8ao',
    severity: 'Critical',
    started_at: 1772359080,
    ended_at: state === 'closed' ? 1772359680 : null,
    state,
    summary: 'CPU utilization for checkout-1 is above the threshold of 0.9.',
    policy_name: 'Checkout CPU',
    condition_name: 'VM Instance - CPU utilization',
    resource_display_name: 'checkout-1',
    resource: { type: 'gce_instance', labels: { instance_id: '42' } },
    metric: { type: 'compute.googleapis.com/instance/cpu/utilization', displayName: 'CPU' },
    ...extra,
  },
});

describe('Cloud Monitoring alerts', () => {
  it('reads an open incident as a firing alert keyed by its incident id', () => {
    const alert = parseAlert(monitoring('open'));
    expect(alert).toEqual({
      key: '0.mtdi83m6w8ao',
      format: 'monitoring',
      status: 'firing',
      title: 'Checkout CPU',
      severity: 'Critical',
      summary:
        'CPU utilization for checkout-1 is above the threshold of 0.9.\n' +
        'Condition: VM Instance - CPU utilization\nResource: checkout-1',
      link: 'https://console.cloud.google.com/monitoring/alerting/incidents/0.mtdi83m6w8ao',
      responders: [],
      startedAt: '2026-03-01T09:58:00.000Z',
    });
  });

  it('reads a closed incident as a resolved alert with the same key', () => {
    expect(parseAlert(monitoring('closed'))).toMatchObject({
      key: '0.mtdi83m6w8ao',
      status: 'resolved',
    });
  });

  it('refuses an incident without an id, or in a state it does not know, naming the field', () => {
    expect(refusal({ version: '1.2', incident: { state: 'open' } })).toMatchObject({
      details: { field: 'incident.incident_id' },
    });
    expect(refusal(monitoring('acknowledged'))).toMatchObject({
      details: { field: 'incident.state' },
    });
  });

  it('ignores a link that is not http(s)', () => {
    expect(parseAlert(monitoring('open', { url: 'javascript:alert(1)' })).link).toBeUndefined();
  });
});

describe('Spacelog alerts', () => {
  it('reads the documented shape, firing by default', () => {
    const alert = parseAlert({
      key: 'checkout-5xx',
      title: '  Checkout answers 5xx ',
      severity: 'critical',
      responders: ['users/1', 'Oncall@Example.com'],
      startedAt: '2026-03-01T09:58:00Z',
      extra: 'ignored',
    });
    expect(alert).toEqual({
      key: 'checkout-5xx',
      format: 'spacelog',
      status: 'firing',
      title: 'Checkout answers 5xx',
      severity: 'critical',
      responders: ['users/1', 'Oncall@Example.com'],
      startedAt: '2026-03-01T09:58:00.000Z',
    });
  });

  it('accepts a resolved alert without a title', () => {
    expect(parseAlert({ key: 'checkout-5xx', status: 'resolved' }).status).toBe('resolved');
  });

  it.each([
    [{ key: 'checkout-5xx' }, 'title'],
    [{ key: 'has space', title: 't' }, 'key'],
    [{ key: 'k', title: 't', link: 'ftp://x' }, 'link'],
    [{ key: 'k', title: 't', status: 'maybe' }, 'status'],
  ])('refuses %j, naming %s and not its value', (data, field) => {
    const error = refusal(data);
    expect(error).toMatchObject({ code: 'invalid-input', details: { field } });
    const value = (data as Record<string, unknown>)[field];
    if (typeof value === 'string') {
      expect(JSON.stringify([error.message, error.details])).not.toContain(value);
    }
  });

  it('refuses JSON in neither shape', () => {
    expect(refusal({ hello: 'world' })).toMatchObject({
      details: { reason: 'unknown-alert-shape' },
    });
  });
});

describe('incident requests', () => {
  it('merges responders of the alert and of configuration, each once, as Chat member names', () => {
    expect(
      mergeResponders(['users/1', 'A@example.com', 'bad name'], ['a@example.com', 'users/1']),
    ).toEqual(['users/1', 'users/a@example.com']);
  });

  it('uses the alert start time when there is one, else when the alert was received', () => {
    const alert = parseAlert({ key: 'k', title: 't' });
    expect(requestFromAlert(alert, [], '2026-03-01T10:00:00.000Z').occurredAt).toBe(
      '2026-03-01T10:00:00.000Z',
    );
  });

  it('makes the user who asked with /incident a responder', () => {
    const request = requestFromCommand(
      {
        command: 'OpenIncident',
        incidentKey: 'inc-1',
        title: 'Down',
        requestedBy: 'users/7',
        originSpace: 'spaces/A',
        format: 'add-on',
      },
      ['users/8'],
      '2026-03-01T10:00:00.000Z',
    );
    expect(request).toMatchObject({
      key: 'inc-1',
      source: 'command',
      responders: ['users/7', 'users/8'],
    });
  });
});
