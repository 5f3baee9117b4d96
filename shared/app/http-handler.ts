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
 *
 * The steps are chained with as few promises as the work allows, and the
 * synchronous ones (a remembered token, a body the framework already read)
 * make none: the functions framework runs each request in a domain, which
 * traces every promise, at a few microseconds each (`npm run bench http`).
 */
import type { ServerResponse } from 'node:http';
import type { Clock } from '../clock.js';
import type { SpacelogError } from '../errors.js';
import { toSpacelogError, unavailable } from '../errors.js';
import type { Interaction } from '../interaction/model.js';
import { parseInteraction } from '../interaction/parse.js';
import { renderReply, type RenderOptions } from '../interaction/render.js';
import type { Reply } from '../interaction/reply.js';
import type { Logger } from '../log.js';
import { traceFields } from '../log.js';
import type { RejectedStore } from '../rejected.js';
import {
  BodyRefused,
  readJsonBody,
  wrongMethod,
  type BodyRequest,
  type JsonBody,
} from '../http/body.js';
import { createRefusalCounter, type RefusalCounter } from '../http/refusal-counter.js';
import { sendError, sendJson } from '../http/respond.js';
import type { ChatVerifier } from '../verify/verifier.js';
import { stillWorkingReply } from './defaults.js';
import type { Recorded } from './app.js';
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

/**
 * The request handler, plus its refusal counts. It returns a promise that
 * settles when the request's work is done, or nothing when it was all done
 * at once.
 */
export type ChatEventsHandler = ((
  req: BodyRequest,
  res: ServerResponse,
) => Promise<void> | void) & {
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

  /** A refused token: 401, only counted; or 503 when the keys are out of reach. */
  const refuseToken = (res: ServerResponse, log: () => Logger, err: unknown): void => {
    const error = toSpacelogError(err);
    if (error.code === 'unauthenticated') unauthenticated.count(String(error.details.reason));
    else log().error('Request token could not be checked.', { error });
    sendError(res, error);
  };

  /** A refused request (400 / 413), kept for operators before the answer. */
  const refuseBody = async (
    req: BodyRequest,
    res: ServerResponse,
    log: () => Logger,
    err: unknown,
  ) => {
    const error = toSpacelogError(err);
    log().warn('Request refused.', { code: error.code, reason: error.details.reason });
    await keepRefused(req, error, err instanceof BodyRefused ? err.raw : Buffer.alloc(0));
    sendError(res, error);
  };

  // Verified: read the body (already in memory behind the framework) and parse it.
  const read = (req: BodyRequest, res: ServerResponse, log: () => Logger) => {
    let body: JsonBody | Promise<JsonBody>;
    try {
      if (req.method !== 'POST') throw wrongMethod();
      body = readJsonBody(req, deps.maxBodyBytes);
    } catch (err) {
      return refuseBody(req, res, log, err);
    }
    if (!(body instanceof Promise)) return parse(req, res, log, body);
    return body.then(
      (b) => parse(req, res, log, b),
      (err: unknown) => refuseBody(req, res, log, err),
    );
  };

  const parse = (req: BodyRequest, res: ServerResponse, log: () => Logger, body: JsonBody) => {
    let interaction: Interaction;
    try {
      interaction = parseInteraction(body.json);
    } catch (err) {
      const reason = String(toSpacelogError(err).details.reason);
      return refuseBody(req, res, log, new BodyRefused('invalid-input', reason, body.raw));
    }
    return respond(req, interaction, res, log);
  };

  const respond = (
    req: BodyRequest,
    interaction: Interaction,
    res: ServerResponse,
    log: () => Logger,
  ) => {
    const started = deps.clock.now().getTime();
    let recorded: Recorded | undefined;
    const watchdog = startWatchdog(deps.replyDeadlineMs, () => {
      if (recorded === undefined) {
        log().error('Recording overran the reply deadline.', { interactionId: interaction.id });
        return sendError(res, unavailable('The interaction was not recorded in time.'));
      }
      log().warn('Handler overran the reply deadline; answered with a holding reply.', {
        interactionId: interaction.id,
      });
      sendJson(
        res,
        200,
        renderReply(stillWorkingReply(interaction), interaction.format, deps.render),
      );
    });

    const fail = (err: unknown) => {
      const error = toSpacelogError(err);
      log().error('Interaction failed.', { interactionId: interaction.id, error });
      if (watchdog.claim()) sendError(res, error);
    };
    const answered = (reply: Reply) => {
      if (!watchdog.claim()) {
        log().warn('Late reply dropped.', { interactionId: interaction.id, reply: reply.kind });
        return;
      }
      try {
        sendJson(res, 200, renderReply(reply, interaction.format, deps.render));
      } catch (err) {
        log().error('Interaction failed.', { interactionId: interaction.id, error: err });
        return sendError(res, toSpacelogError(err));
      }
      // The request's own logger is made only when something goes wrong.
      deps.logger.info('Interaction answered.', {
        ...traceFields(deps.projectId, req.headers),
        interactionId: interaction.id,
        kind: interaction.kind,
        format: interaction.format,
        firstDelivery: recorded?.firstDelivery,
        reply: reply.kind,
        ms: deps.clock.now().getTime() - started,
      });
    };

    // Two promises of our own per request: under the framework each one is traced.
    return deps.app
      .record(interaction, 'http')
      .then((r) => {
        recorded = r;
        return deps.app.dispatch(interaction, r, 'http');
      })
      .then(answered, fail);
  };

  const handler = (req: BodyRequest, res: ServerResponse): Promise<void> | void => {
    let child: Logger | undefined;
    const log = () => (child ??= deps.logger.child(traceFields(deps.projectId, req.headers)));
    const verified = deps.verifier.verify(req.headers.authorization);
    if (!(verified instanceof Promise)) return read(req, res, log);
    return verified.then(
      () => read(req, res, log),
      (err: unknown) => refuseToken(res, log, err),
    );
  };
  return Object.assign(handler, { unauthenticated });
}
