/**
 * What goes wrong during the soak, at set points of the main run:
 * - the Chat API stand-in answers some message creates with 429 (with
 *   Retry-After), 503, 500 after applying the write, and slowly; a space
 *   create and a membership create fail once each;
 * - the Firestore emulator is stopped and started once (see `firestore.ts`);
 * - the app's service-account key is rotated: a new key version in Secret
 *   Manager, registered at the token endpoint, the old key revoked and the
 *   access tokens made from it expired, so the token endpoint refuses the
 *   old key the next time the app asks.
 * Actions run in the background; `settled` waits for them.
 */
import type { Config } from '../../shared/config.js';
import { createServiceAccountKey } from '../standins/keys.js';
import { DEMO_PROJECT, DEMO_SERVICE_ACCOUNT } from '../stack/demo.js';
import type { StandIns } from '../stack/standins.js';
import type { SoakFirestore } from './firestore.js';

/** What the faults did, for the report. */
export interface FaultLog {
  /** Failures and delays injected at the Chat stand-in, by kind. */
  readonly injected: Record<string, number>;
  /** From cut to resume, ms since epoch; undefined until it happened. */
  outage?: { readonly from: number; readonly to: number };
  rotatedAt?: number;
  /** The private keys the app held (old and new), for the leak scan. */
  readonly privateKeys: string[];
  readonly errors: string[];
}

/** The fault schedule. */
export interface Faults {
  readonly log: FaultLog;
  /** Call with the main run's progress (0..1); starts what is due. */
  progress(fraction: number): void;
  /** Resolves when every started action has finished. */
  settled(): Promise<void>;
}

/** Builds the schedule for `size` interactions. */
export function scheduleFaults(deps: {
  readonly standIns: StandIns;
  readonly config: Config;
  readonly firestore: SoakFirestore;
  readonly size: number;
  readonly say: (line: string) => void;
}): Faults {
  const { chat, oauth, secrets } = deps.standIns;
  const k = Math.max(3, Math.round(deps.size / 1000));
  const log: FaultLog = {
    injected: {},
    privateKeys: [deps.standIns.serviceAccountKey.json.private_key],
    errors: [],
  };
  const count = (kind: string, n: number) => {
    log.injected[kind] = (log.injected[kind] ?? 0) + n;
  };
  const running: Promise<void>[] = [];

  const restartFirestore = async () => {
    deps.say('Firestore emulator: stopping and starting it again on the same port.');
    const from = Date.now();
    const ms = await deps.firestore.restart(deps.config.projectId, deps.config.firestoreDatabase);
    log.outage = { from, to: from + ms };
    deps.say(`Firestore emulator: back after ${ms} ms, data kept.`);
  };

  const rotateKey = () => {
    const next = createServiceAccountKey(DEMO_SERVICE_ACCOUNT, DEMO_PROJECT.id);
    log.privateKeys.push(next.json.private_key);
    oauth.registerServiceAccount(next);
    secrets.addVersion(deps.config.serviceAccountKeySecret, JSON.stringify(next.json));
    oauth.revokeKey(deps.standIns.serviceAccountKey.kid);
    oauth.expireAccessTokens();
    log.rotatedAt = Date.now();
    deps.say('Key rotation: new key version in Secret Manager, old key revoked.');
  };

  const points: { at: number; run: () => void | Promise<void> }[] = [
    {
      at: 0.1,
      run: () => {
        chat.inject({ method: 'messages.create', status: 429, count: k, retryAfterSeconds: 1 });
        count('429', k);
      },
    },
    {
      at: 0.2,
      run: () => {
        chat.inject({ method: 'messages.create', status: 503, count: k });
        chat.inject({ method: 'spaces.create', status: 503, count: 1 });
        chat.inject({ method: 'members.create', status: 429, count: 1, retryAfterSeconds: 1 });
        count('503', k + 1);
        count('429', 1);
      },
    },
    {
      at: 0.3,
      run: () => {
        chat.inject({ method: 'messages.create', status: 500, count: k, afterApply: true });
        chat.slow({ method: 'messages.create', delayMs: 2500, count: k });
        count('500-after-apply', k);
        count('slow', k);
      },
    },
    { at: 0.45, run: restartFirestore },
    { at: 0.65, run: rotateKey },
  ];
  let next = 0;

  return {
    log,
    progress(fraction) {
      while (next < points.length && (points[next]?.at ?? 2) <= fraction) {
        const point = points[next++];
        if (point === undefined) break;
        running.push(
          Promise.resolve()
            .then(point.run)
            .catch((error: unknown) => {
              log.errors.push(error instanceof Error ? error.message : String(error));
            }),
        );
      }
    },
    async settled() {
      this.progress(1);
      await Promise.all(running);
    },
  };
}
