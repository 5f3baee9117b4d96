/**
 * The world of the `chatEvents` HTTP integration tests: the certificate
 * stand-in as Google's keys, the Firestore emulator as the event log, the
 * Pub/Sub emulator behind the publisher, and `chatEvents` itself, served by
 * the functions framework in a child process exactly as the local stack
 * serves it (`local/stack/functions.ts`: `FUNCTION_TARGET` set, the
 * package's main module loaded, the framework's own server). One process per
 * configured token kind, since the kind is configuration.
 */
import { request } from 'node:http';
import { freePort } from '../../local/emulators.js';
import { inheritedEnvironment } from '../../local/stack/function-env.js';
import { startFunctions, type RunningFunctions } from '../../local/stack/functions.js';
import type { CertsStandIn } from '../../local/standins/certs.js';
import { emulatorHosts } from '../support/emulator-hosts.js';

/** The token kinds Chat sends, as `CHAT_AUDIENCE_KIND` names them. */
export type TokenKind = 'project-number' | 'endpoint-url' | 'add-on';

/** The project number the tests configure (the audience of project-number tokens). */
export const PROJECT_NUMBER = '424242424242';
/** The add-on service agent the tests configure. */
export const SERVICE_AGENT = `service-${PROJECT_NUMBER}@gcp-sa-gsuiteaddons.iam.gserviceaccount.com`;
/** Topic the app publishes commands to (`ALERTS_TOPIC`'s default). */
export const ALERTS_TOPIC = 'spacelog-alerts';

/** A running `chatEvents`. */
export interface ChatEventsHost {
  readonly kind: TokenKind;
  /** Where it listens, `http://127.0.0.1:PORT/`. */
  readonly url: string;
  /** What it expects as `aud`. */
  readonly audience: string;
  /** Every line it printed so far (its structured log). */
  logs(): readonly string[];
  stop(): Promise<void>;
}

/** The settings a deployed `chatEvents` of this kind would have, pointed at the local world. */
export function chatEventsEnv(
  projectId: string,
  kind: TokenKind,
  audience: string,
  certs: Pick<CertsStandIn, 'chatCertsUrl' | 'googleCertsUrl'>,
): Record<string, string> {
  const { firestore, pubsub } = emulatorHosts();
  return {
    GOOGLE_CLOUD_PROJECT: projectId,
    GOOGLE_CLOUD_PROJECT_NUMBER: PROJECT_NUMBER,
    CHAT_VERIFICATION: 'on',
    CHAT_AUDIENCE_KIND: kind,
    CHAT_AUDIENCE: audience,
    CHAT_ADDON_SERVICE_AGENT: SERVICE_AGENT,
    CHAT_CERTS_URL: certs.chatCertsUrl,
    GOOGLE_CERTS_URL: certs.googleCertsUrl,
    EVENT_STORE: 'firestore',
    FIRESTORE_EMULATOR_HOST: firestore,
    PUBSUB_URL: `http://${pubsub}`,
    RUNTIME_CREDENTIALS: 'none-local-only',
    LOG_LEVEL: 'INFO',
  };
}

/**
 * Starts `chatEvents` configured for `kind`. The endpoint-URL and add-on
 * audiences are the function's own URL (the add-on's with a query string,
 * as Chat puts it in the token); the port is chosen first so the audience
 * can name it.
 */
export async function startChatEvents(
  projectId: string,
  kind: TokenKind,
  certs: Pick<CertsStandIn, 'chatCertsUrl' | 'googleCertsUrl'>,
): Promise<ChatEventsHost> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const audience =
    kind === 'project-number' ? PROJECT_NUMBER : kind === 'add-on' ? `${url}?app=spacelog` : url;
  const lines: string[] = [];
  const running: RunningFunctions = await startFunctions({
    ports: new Map([['chatEvents', port]]),
    shared: false,
    env: { ...inheritedEnvironment(), ...chatEventsEnv(projectId, kind, audience, certs) },
    sink: (_label, line) => lines.push(line),
  });
  return { kind, url, audience, logs: () => lines, stop: () => running.stop() };
}

/** Creates a topic in the Pub/Sub emulator (its REST surface); an existing one is fine. */
export async function createTopic(projectId: string, topic: string): Promise<void> {
  const { pubsub } = emulatorHosts();
  const res = await fetch(`http://${pubsub}/v1/projects/${projectId}/topics/${topic}`, {
    method: 'PUT',
  });
  if (!res.ok && res.status !== 409) throw new Error(`topic ${topic}: ${res.status}`);
}

/** An HTTP answer: status, headers and body (parsed when it is JSON). */
export interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly json: Record<string, unknown> | undefined;
}

/** What to send; headers are sent as given (nothing added but `content-length`). */
export interface Sent {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Overrides `Host`, as a caller in front of the function could. */
  readonly host?: string;
}

/** Sends one request over a fresh connection to `url`. */
export function send(url: string, sent: Sent = {}): Promise<Answer> {
  const body = sent.body === undefined ? undefined : Buffer.from(sent.body);
  const headers: Record<string, string> = { ...sent.headers };
  if (body !== undefined) headers['content-length'] = String(body.length);
  if (sent.host !== undefined) headers['host'] = sent.host;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: sent.method ?? 'POST', headers, agent: false, signal: AbortSignal.timeout(45_000) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const contentType = res.headers['content-type'] ?? '';
          let json: Record<string, unknown> | undefined;
          if (contentType.startsWith('application/json')) {
            json = JSON.parse(text) as Record<string, unknown>;
          }
          resolve({ status: res.statusCode ?? 0, contentType, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs `body` as JSON with `Authorization: Bearer token` (no header when `token` is undefined). */
export function postInteraction(
  url: string,
  body: unknown,
  token: string | undefined,
  extra: Omit<Sent, 'body'> = {},
): Promise<Answer> {
  return send(url, {
    ...extra,
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
      ...extra.headers,
    },
    body: JSON.stringify(body),
  });
}

/** Waits until `check` passes (logs reach the parent after the answer does); throws its last error. */
export async function eventually(check: () => void | Promise<void>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
