/**
 * cold-start.chatEvents: time from process start to the first answered
 * request of `chatEvents` (the deployable package `scripts/package.sh`
 * writes, loaded through its package.json `main` as on Google Cloud;
 * verification on, event log in the Firestore emulator), over the same for a
 * function that loads the stack Google's samples use and answers one
 * request. Goal: ratio <= 0.5.
 *
 * One untimed round of each comes first: the emulator answers its first
 * requests of a run slowly (its own JIT warming up), which no deployment
 * sees and which would otherwise land on whichever round came first.
 */
import { join } from 'node:path';
import { startEmulator } from '../local/emulators.js';
import { buildPackage, PACKAGE_DIR, serveFunction } from '../local/packaged-function.js';
import { startCerts, mintEndpointIdToken } from '../local/standins/certs.js';
import { figure, median, type Bench } from './figure.js';

const ROUNDS = 5;
const BASELINE = join(import.meta.dirname, 'fixtures/baseline-function');

/** Ms from starting a function process to its first answer, which must be a 200. */
async function timeToFirstAnswer(
  source: string,
  target: string,
  env: Record<string, string>,
  request: () => RequestInit,
): Promise<number> {
  const served = await serveFunction(source, target, env);
  try {
    const answer = await served.firstAnswer(request);
    if (answer.status !== 200) {
      throw new Error(`${target} answered ${answer.status}: ${served.output()}`);
    }
    return performance.now() - served.spawnedAt;
  } finally {
    served.stop();
  }
}

export const run: Bench = async () => {
  buildPackage();

  const firestore = await startEmulator('firestore');
  const certs = await startCerts();
  const audience = 'https://chat-events.example.test/';
  const env = {
    GOOGLE_CLOUD_PROJECT: 'bench-cold-start',
    CHAT_AUDIENCE_KIND: 'endpoint-url',
    CHAT_AUDIENCE: audience,
    GOOGLE_CERTS_URL: `${certs.url}/oauth2/v1/certs`,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    RUNTIME_CREDENTIALS: 'none-local-only',
    LOG_LEVEL: 'WARNING',
    // Terraform sets these for every function, so chatEvents has sign-in features.
    OAUTH_CLIENT_ID: 'bench-cold-start.apps.example.test',
    OAUTH_REDIRECT_URL: 'https://oauth-callback.example.test/',
  };
  let n = 0;
  const interaction = () => {
    n += 1;
    const body = JSON.stringify({
      type: 'MESSAGE',
      eventTime: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
      space: { name: 'spaces/COLD', type: 'ROOM', spaceType: 'SPACE' },
      user: { name: 'users/1', displayName: 'Bench', type: 'HUMAN' },
      message: { name: `spaces/COLD/messages/m${n}`, text: 'hello', argumentText: 'hello' },
    });
    const token = mintEndpointIdToken(certs, { audience });
    return {
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    };
  };
  const constant = () => ({ body: '{}', headers: { 'content-type': 'application/json' } });

  const ours: number[] = [];
  const baseline: number[] = [];
  try {
    for (let i = 0; i <= ROUNDS; i += 1) {
      const a = await timeToFirstAnswer(PACKAGE_DIR, 'chatEvents', env, interaction);
      const b = await timeToFirstAnswer(BASELINE, 'baseline', {}, constant);
      if (i === 0) continue; // the untimed round
      ours.push(a);
      baseline.push(b);
    }
  } finally {
    await certs.close();
    await firestore.stop();
  }
  return [figure('cold-start.chatEvents', median(ours), 'ms', median(baseline), { max: 0.5 })];
};
