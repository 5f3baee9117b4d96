/**
 * Plays Google Chat for the soak: delivers each planned step over HTTP (with
 * a token minted as Chat signs it, or a forged one) or publishes it to the
 * interactions topic, and keeps what the checks need: every token it minted,
 * the answer to every delivery, and the latency of every synchronous reply.
 * Like Chat, it delivers a valid interaction again when the app answered
 * 5xx or did not answer, a bounded number of times.
 */
import { createSigningKey } from '../standins/keys.js';
import { mintEndpointIdToken, type MintKeys } from '../standins/certs.js';
import { DEMO_PROJECT } from '../stack/demo.js';
import { publishBytes } from '../stack/delivery.js';
import { INTERACTIONS_TOPIC } from '../stack/topics.js';
import type { Forgery, MalformedStep, Step, ValidStep } from './plan.js';
import { withToken } from './world.js';

/** Where and how the driver delivers. */
export interface DriverOptions {
  readonly chatEventsUrl: string;
  readonly pubsubUrl: string;
  /** The `aud` Chat puts in the app's tokens (the endpoint URL). */
  readonly audience: string;
  readonly keys: MintKeys;
  /** Deliveries in flight at once. */
  readonly concurrency: number;
}

/** What the driver saw. */
export interface DriverRecord {
  /** Every token minted, valid and forged. */
  readonly tokens: string[];
  /** Milliseconds of every 200 answer to a valid interaction over HTTP. */
  readonly latenciesMs: number[];
  /** Answers to forged tokens, by status. */
  readonly forgedStatus: Map<number, number>;
  /** Answers to malformed HTTP bodies, by status. */
  readonly malformedStatus: Map<number, number>;
  /** When each malformed step was answered (ms since epoch), for the outage window. */
  readonly malformedAt: Map<MalformedStep, number>;
  /** HTTP deliveries made again after a 5xx or no answer. */
  redeliveries: number;
  /** Valid HTTP interactions never answered 200 within the retry budget. */
  readonly unanswered: ValidStep[];
  /** Publishes retried after the emulator refused or failed. */
  republishes: number;
}

/** The driver. */
export interface Driver {
  readonly record: DriverRecord;
  /** Delivers `steps` with the configured concurrency; `onProgress` hears each completion. */
  run(steps: readonly Step[], onProgress?: (done: number) => void): Promise<void>;
}

const REDELIVERY_ATTEMPTS = 20;
const REDELIVERY_BUDGET_MS = 180_000;

/** Builds the driver. */
export function createDriver(options: DriverOptions): Driver {
  const attacker = createSigningKey();
  const record: DriverRecord = {
    tokens: [],
    latenciesMs: [],
    forgedStatus: new Map(),
    malformedStatus: new Map(),
    malformedAt: new Map(),
    redeliveries: 0,
    unanswered: [],
    republishes: 0,
  };
  const sent = new Map<ValidStep, { body: string; token: string }>();

  const mint = (): string => {
    const token = mintEndpointIdToken(options.keys, { audience: options.audience });
    record.tokens.push(token);
    return token;
  };

  const forge = (forgery: Forgery): string => {
    const keys = options.keys;
    const audience = options.audience;
    const token = (() => {
      switch (forgery) {
        case 'foreign-key':
          return mintEndpointIdToken(keys, {
            audience,
            signWith: attacker,
            kid: keys.googleKey.kid,
          });
        case 'unknown-kid':
          return mintEndpointIdToken(keys, { audience, signWith: attacker });
        case 'wrong-audience':
          return mintEndpointIdToken(keys, { audience: 'https://attacker.invalid/chatEvents' });
        case 'expired':
          return mintEndpointIdToken(keys, { audience, now: Date.now() - 3 * 3_600_000 });
        case 'alg-none':
          return mintEndpointIdToken(keys, { audience, algorithm: 'none' });
        case 'hs256':
          return mintEndpointIdToken(keys, { audience, algorithm: 'HS256' });
        case 'wrong-email':
          return mintEndpointIdToken(keys, {
            audience,
            overrides: { email: 'someone@example.com' },
          });
      }
    })();
    record.tokens.push(token);
    return token;
  };

  const post = async (body: string | Buffer, token: string, contentType: string) => {
    const started = performance.now();
    try {
      const res = await fetch(options.chatEventsUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
        body: typeof body === 'string' ? body : new Uint8Array(body),
        signal: AbortSignal.timeout(35_000),
      });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - started };
    } catch {
      return { status: 0, ms: performance.now() - started };
    }
  };

  const publish = async (data: Buffer): Promise<void> => {
    const topic = `projects/${DEMO_PROJECT.id}/topics/${INTERACTIONS_TOPIC}`;
    for (let attempt = 1; ; attempt += 1) {
      try {
        await publishBytes(options.pubsubUrl, topic, data, {});
        return;
      } catch (error) {
        if (attempt >= 10) throw error;
        record.republishes += 1;
        await sleep(200 * attempt);
      }
    }
  };

  /** Delivers a valid interaction over HTTP until it is answered 200 (as Chat retries). */
  const deliverHttp = async (step: ValidStep, first: { body: string; token: string }) => {
    const deadline = Date.now() + REDELIVERY_BUDGET_MS;
    let token = first.token;
    for (let attempt = 1; attempt <= REDELIVERY_ATTEMPTS && Date.now() < deadline; attempt += 1) {
      const answer = await post(first.body, token, 'application/json');
      if (answer.status === 200) {
        record.latenciesMs.push(answer.ms);
        return;
      }
      if (answer.status !== 0 && answer.status < 500) break;
      record.redeliveries += 1;
      await sleep(Math.min(4000, 250 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random()));
      token = mint();
    }
    record.unanswered.push(step);
  };

  const deliver = async (step: Step): Promise<void> => {
    switch (step.role) {
      case 'setup':
      case 'valid': {
        const token = mint();
        const body = JSON.stringify(withToken(step.body, token));
        sent.set(step, { body, token });
        if (step.transport === 'http') return deliverHttp(step, { body, token });
        return publish(Buffer.from(body));
      }
      case 'repeat': {
        // The first delivery may still be in flight with another worker: build it alike.
        const first =
          sent.get(step.of) ??
          ((token: string) => ({ body: JSON.stringify(withToken(step.of.body, token)), token }))(
            mint(),
          );
        if (step.of.transport === 'pubsub') return publish(Buffer.from(first.body));
        return deliverHttp(step.of, {
          body: first.body,
          token: step.newToken ? mint() : first.token,
        });
      }
      case 'malformed': {
        if (step.transport === 'pubsub') {
          await publish(step.content);
          record.malformedAt.set(step, Date.now());
          return;
        }
        const answer = await post(step.content, mint(), step.contentType);
        record.malformedAt.set(step, Date.now());
        record.malformedStatus.set(
          answer.status,
          (record.malformedStatus.get(answer.status) ?? 0) + 1,
        );
        return;
      }
      case 'forged': {
        const body = JSON.stringify(withToken(step.body, mint()));
        const answer = await post(body, forge(step.forgery), 'application/json');
        record.forgedStatus.set(answer.status, (record.forgedStatus.get(answer.status) ?? 0) + 1);
        return;
      }
    }
  };

  return {
    record,
    async run(steps, onProgress) {
      let next = 0;
      let done = 0;
      const worker = async () => {
        while (next < steps.length) {
          const step = steps[next++] as Step;
          await deliver(step);
          done += 1;
          onProgress?.(done);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
    },
  };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
