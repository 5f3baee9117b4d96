/**
 * Waiting for the asynchronous work after the last delivery: replies posted
 * through Pub/Sub, incidents opened (and resolved), digests due during the
 * soak, malformed Pub/Sub messages refused. The wait ends when every
 * expected effect is seen at Chat and the functions have gone quiet, or at
 * the deadline (the checks then say what is missing).
 */
import { digestId, digestRequestId } from '../../shared/digest/identity.js';
import type { ChatApiStandIn } from '../standins/chat-api.js';
import { succeeded, type Expectation } from './checks.js';
import { sleep } from './driver.js';
import type { ExpectedIncident, Plan, ValidStep } from './plan.js';
import { incidentRequestId, type Platform, type SoakAlert } from './platform.js';
import type { SoakSpace } from './world.js';

/** Everything the app must post, and every incident it must open. */
export function expectations(
  plan: Plan,
  alerts: readonly SoakAlert[],
  spaces: readonly SoakSpace[],
  periodEnd: Date,
): { messages: Expectation[]; incidents: ExpectedIncident[] } {
  const valid = [...plan.setup, ...plan.main].filter(
    (s): s is ValidStep => s.role === 'setup' || s.role === 'valid',
  );
  const incidents = [
    ...valid.flatMap((s) => (s.incident ? [s.incident] : [])),
    ...alerts.map((a) => a.incident),
  ];
  const messages: Expectation[] = [
    ...valid.flatMap((s) => s.messages),
    ...incidents.map((i) => ({
      incidentKey: i.key,
      requestId: incidentRequestId(i.key, 'details'),
      purpose: 'incident-details',
    })),
    ...alerts
      .filter((a) => a.resolved !== undefined)
      .map((a) => ({
        incidentKey: a.incident.key,
        requestId: incidentRequestId(a.incident.key, 'resolution'),
        purpose: 'incident-resolution',
      })),
    ...spaces
      .filter((s) => s.digest)
      .map((s) => ({
        space: s.name,
        requestId: digestRequestId(digestId(s.name, periodEnd)),
        purpose: 'digest',
      })),
  ];
  return { messages, incidents };
}

/** Waits as described above; resolves with whether everything was seen in time. */
export async function settle(deps: {
  readonly chat: ChatApiStandIn;
  readonly platform: Platform;
  readonly alerts: readonly SoakAlert[];
  readonly expected: readonly Expectation[];
  /** Lines the functions printed so far (grows while waiting). */
  readonly lines: () => number;
  /** True once the malformed Pub/Sub messages have all been refused. */
  readonly refusalsDone: () => boolean;
  readonly deadline: number;
  readonly say: (line: string) => void;
}): Promise<boolean> {
  const resolved = new Set<SoakAlert>();
  let lastReport = 0;
  for (;;) {
    const calls = deps.chat.calls();
    for (const alert of deps.alerts) {
      const open = succeeded(calls, incidentRequestId(alert.incident.key, 'details'));
      if (alert.resolved && open && !resolved.has(alert)) {
        resolved.add(alert);
        await deps.platform.resolve(alert);
      }
    }
    const missing = deps.expected.filter(
      (e) => !succeeded(calls, e.requestId, 'space' in e ? e.space : undefined),
    );
    if (missing.length === 0 && deps.refusalsDone()) break;
    if (Date.now() > deps.deadline) return false;
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      const purposes = [...new Set(missing.map((m) => m.purpose))].join(', ');
      deps.say(`Waiting for ${missing.length} messages at Chat (${purposes || 'refusals'}).`);
    }
    await sleep(2000);
  }
  // Quiet: no new log line for 3 s (the last records and acknowledgements).
  for (let seen = deps.lines(), quiet = 0; quiet < 3 && Date.now() < deps.deadline;) {
    await sleep(1000);
    const now = deps.lines();
    quiet = now === seen ? quiet + 1 : 0;
    seen = now;
  }
  return true;
}
