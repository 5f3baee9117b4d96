/**
 * What the platform does during the soak: Cloud Scheduler's digest tick
 * every few seconds, and alerts from monitoring (Spacelog's own shape and
 * Cloud Monitoring's), some of them resolved once their incident is open.
 * Each alert's incident key and title are read with the code's own alert
 * parser, so the checks look for the space the code will name.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../../shared/config.js';
import { parseAlert } from '../../shared/incidents/index.js';
import { requestIdFor } from '../../shared/outbound/index.js';
import { publishJson } from '../stack/delivery.js';
import { monitoringIncident } from '../stack/operator.js';
import { DIGEST_TICKS_TOPIC } from '../stack/topics.js';
import type { ExpectedIncident } from './plan.js';
import type { Chance } from './random.js';

/** One alert of the soak. */
export interface SoakAlert {
  readonly incident: ExpectedIncident;
  readonly firing: Record<string, unknown>;
  /** The same alert, resolved; published once the incident is open, when set. */
  readonly resolved?: Record<string, unknown>;
}

/** Makes `count` alerts, alternating the two shapes; every other one is resolved later. */
export function makeAlerts(count: number, chance: Chance): SoakAlert[] {
  return Array.from({ length: count }, (_, i) => {
    const resolve = i % 2 === 1;
    if (i % 3 === 2) {
      const firing = monitoringIncident(chance.words(3), new Date());
      const body = firing['incident'] as Record<string, unknown>;
      const resolved = {
        ...firing,
        incident: { ...body, state: 'closed', ended_at: Math.floor(Date.now() / 1000) },
      };
      return { incident: incidentOf(firing), firing, ...(resolve && { resolved }) };
    }
    const key = `soak-${randomBytes(6).toString('hex')}`;
    const firing = {
      key,
      status: 'firing',
      title: chance.words(3),
      summary: chance.words(6),
      severity: 'warning',
    };
    return {
      incident: incidentOf(firing),
      firing,
      ...(resolve && { resolved: { key, status: 'resolved' } }),
    };
  });
}

function incidentOf(data: unknown): ExpectedIncident {
  const alert = parseAlert(data);
  return { key: alert.key, title: alert.title ?? '' };
}

/** The `requestId` of an incident's message for `purpose` (`details`, `resolution`, `report`). */
export function incidentRequestId(key: string, purpose: string): string {
  return requestIdFor(`incident:${key}`, purpose);
}

/** Publishes alerts and ticks for the soak. */
export interface Platform {
  fire(alert: SoakAlert): Promise<void>;
  resolve(alert: SoakAlert): Promise<void>;
  /** Publishes a tick every `everyMs` until `stop`. */
  startTicks(everyMs: number): void;
  readonly ticks: () => number;
  stop(): void;
}

/** The platform for the stack's Pub/Sub. */
export function createPlatform(pubsubUrl: string, config: Pick<Config, 'alertsTopic'>): Platform {
  let timer: NodeJS.Timeout | undefined;
  let ticks = 0;
  return {
    fire: async (alert) => void (await publishJson(pubsubUrl, config.alertsTopic, alert.firing)),
    resolve: async (alert) => {
      if (alert.resolved) await publishJson(pubsubUrl, config.alertsTopic, alert.resolved);
    },
    startTicks(everyMs) {
      const tick = () => {
        ticks += 1;
        publishJson(pubsubUrl, DIGEST_TICKS_TOPIC, { source: 'spacelog-soak' }).catch(
          () => undefined,
        );
      };
      tick();
      timer = setInterval(tick, everyMs);
    },
    ticks: () => ticks,
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
