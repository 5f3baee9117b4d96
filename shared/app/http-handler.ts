/**
 * `buildChatEventsHandler`: the HTTP handler of `chatEvents`. It starts
 * nothing and reads no environment; the entry module passes everything in.
 *
 * Order of a request: verify the token (401 / 503, only counted); refuse a
 * wrong method, content type or size and malformed JSON or interactions
 * (400 / 413, kept in the refused-input store); record the interaction;
 * dispatch it; render the reply in the request's format. A watchdog answers
 * before `replyDeadlineMs` when the handler overruns: a holding reply, while
 * the handler's work (and its recording) goes on. When even recording has
 * not finished by then, the answer is 503 so Chat delivers again.
 */
import type { ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import type { SpacelogError } from '../errors.js';
import { toSpacelogError, unavailable } from '../errors.js';
import type { Interaction } from '../interaction/model.js';
import { parseInteraction } from '../interaction/parse.js';
import { renderReply, type RenderOptions } from '../interaction/render.js';
import type { Logger } from '../log.js';
import { traceFields } from '../log.js';
import type { RejectedStore } from '../rejected.js';
import { BodyRefused, readJsonBody, wrongMethod, type BodyRequest } from '../http/body.js';
import { createRefusalCounter, type RefusalCounter } from '../http/refusal-counter.js';
import { sendError, sendJson } from '../http/respond.js';
import type { ChatVerifier } from '../verify/verifier.js';
import { stillWorkingReply } from './defaults.js';
import type { AppServices, ChatApp } from './types.js';
import { startWatchdog } from './watchdog.js';

/** What the handler needs; the entry module builds these once per instance. */
export interface ChatEventsDeps {
  readonly verifier: ChatVerifier;
  readonly app: ChatApp<AppServices>;
  readonly rejected: RejectedStore;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly maxBodyBytes: number;
  readonly replyDeadlineMs: number;
  /** For trace fields on log lines. */
  readonly projectId: string;
  readonly render?: RenderOptions;
  /** Longest wait for the refused-input store before answering. Default 2 s. */
  readonly keepRejectedTimeoutMs?: number;
}

/** The request handler, plus its refusal counts. */
export type ChatEventsHandler = ((req: BodyRequest, res: ServerResponse) => Promise<void>) & {
  readonly unauthenticated: RefusalCounter;
};

/** Builds the `chatEvents` request handler. */
export function buildChatEventsHandler(deps: ChatEventsDeps): ChatEventsHandler {
  const unauthenticated = createRefusalCounter(
    deps.logger,
    deps.clock,
    'Request refused: unauthenticated.',
  );

  const keepRefused = async (req: BodyRequest, error: SpacelogError, raw: Buffer) => {
    const timeout = new Promise<void>((resolve) =>
      setTimeout(resolve, deps.keepRejectedTimeoutMs ?? 2000).unref(),
    );
    const input = {
      source: 'chatEvents',
      reason: String(error.details.reason ?? error.code),
      content: raw,
      contentType: req.headers['content-type'],
    };
    await Promise.race([deps.rejected.keep(input), timeout]);
  };

  const answer = async (req: BodyRequest, res: ServerResponse, log: Logger): Promise<void> => {
    try {
      await deps.verifier.verify(req.headers.authorization);
    } catch (err) {
      const error = toSpacelogError(err);
      if (error.code === 'unauthenticated') unauthenticated.count(String(error.details.reason));
      else log.error('Request token could not be checked.', { error });
      return sendError(res, error);
    }

    let interaction: Interaction;
    try {
      if (req.method !== 'POST') throw wrongMethod();
      const read = readJsonBody(req, deps.maxBodyBytes);
      const body = read instanceof Promise ? await read : read;
      try {
        interaction = parseInteraction(body.json);
      } catch (err) {
        throw new BodyRefused(
          'invalid-input',
          String(toSpacelogError(err).details.reason),
          body.raw,
        );
      }
    } catch (err) {
      const error = toSpacelogError(err);
      log.warn('Request refused.', { code: error.code, reason: error.details.reason });
      await keepRefused(req, error, err instanceof BodyRefused ? err.raw : Buffer.alloc(0));
      return sendError(res, error);
    }
    await respond(interaction, res, log);
  };

  const respond = async (interaction: Interaction, res: ServerResponse, log: Logger) => {
    const started = deps.clock.now().getTime();
    let stage: 'recording' | 'deciding' = 'recording';
    const watchdog = startWatchdog(deps.replyDeadlineMs, () => {
      if (stage === 'recording') {
        log.error('Recording overran the reply deadline.', { interactionId: interaction.id });
        return sendError(res, unavailable('The interaction was not recorded in time.'));
      }
      log.warn('Handler overran the reply deadline; answered with a holding reply.', {
        interactionId: interaction.id,
      });
      sendJson(
        res,
        200,
        renderReply(stillWorkingReply(interaction), interaction.format, deps.render),
      );
    });

    try {
      const recorded = await deps.app.record(interaction, 'http');
      stage = 'deciding';
      const reply = await deps.app.dispatch(interaction, recorded, 'http');
      if (!watchdog.claim()) {
        log.warn('Late reply dropped.', { interactionId: interaction.id, reply: reply.kind });
        return;
      }
      sendJson(res, 200, renderReply(reply, interaction.format, deps.render));
      log.info('Interaction answered.', {
        interactionId: interaction.id,
        kind: interaction.kind,
        format: interaction.format,
        firstDelivery: recorded.firstDelivery,
        reply: reply.kind,
        ms: deps.clock.now().getTime() - started,
      });
    } catch (err) {
      const error = toSpacelogError(err);
      log.error('Interaction failed.', { interactionId: interaction.id, error });
      if (watchdog.claim()) sendError(res, error);
    }
  };

  const handler = (req: BodyRequest, res: ServerResponse) =>
    answer(req, res, deps.logger.child(traceFields(deps.projectId, req.headers)));
  return Object.assign(handler, { unauthenticated });
}
