/**
 * What happens to every Chat API request, in order: route, authenticate
 * (bearer token or incoming-webhook key), check scopes, injected delay and
 * failure, quotas, the method itself, and a record of the call. Tokens and
 * webhook keys are never recorded.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { googleError, HttpError, readJson, requestUrl, sendJson } from '../standin.js';
import { bearerToken, callerOf, type Caller, type TokenInfoLookup } from './caller.js';
import type { Reply } from './context.js';
import { statusTextOf, type Faults } from './faults.js';
import type { RateLimiter } from './limits.js';
import { matchRoute, type RouteMatch } from './routes.js';
import { allowingScopes, missingScopeMessage } from './scopes.js';
import type { ChatState } from './state.js';

/** One recorded call. */
export interface CallRecord {
  /** `messages.create` and so on; `unknown` for a path the stand-in does not serve. */
  readonly method: string;
  /** The path only: a webhook's key and token stay out. */
  readonly path: string;
  readonly status: number;
  readonly principal: 'app' | 'user' | 'webhook' | 'none';
  /** Granted scopes, short names. */
  readonly scopes: readonly string[];
  readonly requestId?: string;
  readonly space?: string;
  /** The user, under user auth. */
  readonly user?: string;
}

/** A registered incoming webhook of a space. */
export interface Webhook {
  readonly key: string;
  readonly token: string;
  readonly sender: string;
}

/** What the pipeline works with. */
export interface PipelineDeps {
  readonly state: ChatState;
  readonly tokenInfo: TokenInfoLookup;
  readonly limiter: RateLimiter;
  readonly faults: Faults;
  readonly webhooks: ReadonlyMap<string, Webhook>;
  readonly calls: CallRecord[];
}

const unauthenticated = (message: string) => new HttpError(401, 'UNAUTHENTICATED', message);

async function authenticate(
  deps: PipelineDeps,
  req: IncomingMessage,
  url: URL,
  route: RouteMatch,
): Promise<Caller> {
  const token = bearerToken(req.headers.authorization);
  if (token === undefined) {
    const key = url.searchParams.get('key');
    const hook = route.space === undefined ? undefined : deps.webhooks.get(route.space);
    if (route.method === 'messages.create' && key !== null && hook) {
      if (key === hook.key && url.searchParams.get('token') === hook.token) {
        return { kind: 'webhook', user: hook.sender, scopes: new Set() };
      }
      throw unauthenticated('The incoming webhook key or token is not valid for this space.');
    }
    throw unauthenticated(
      'Request is missing required authentication credential. Expected OAuth 2 access token.',
    );
  }
  let info;
  try {
    info = await deps.tokenInfo(token);
  } catch {
    throw new HttpError(503, 'UNAVAILABLE', 'Token verification is unavailable.');
  }
  if (!info) throw unauthenticated('Request had invalid authentication credentials.');
  return callerOf(info, deps.state.appUser);
}

function fail(
  status: number,
  message: string,
  retryAfterSeconds?: number,
): Reply & {
  headers: Record<string, string>;
} {
  return {
    status,
    body: { error: { code: status, message, status: statusTextOf(status) } },
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  };
}

async function run(
  deps: PipelineDeps,
  req: IncomingMessage,
  url: URL,
  route: RouteMatch,
  note: (fields: Partial<CallRecord>) => void,
): Promise<Reply & { headers?: Record<string, string> }> {
  const body = ['POST', 'PATCH', 'PUT'].includes(req.method ?? '')
    ? await readJson(req, 4 * 1_048_576)
    : {};
  const bodyRequestId = (body as { requestId?: unknown }).requestId;
  if (typeof bodyRequestId === 'string') note({ requestId: bodyRequestId });
  const caller = await authenticate(deps, req, url, route);
  note({
    principal: caller.kind,
    scopes: [...caller.scopes],
    ...(caller.kind === 'user' ? { user: caller.user } : {}),
  });
  if (
    caller.kind !== 'webhook' &&
    allowingScopes(route.method, caller.kind, caller.scopes).length === 0
  ) {
    throw new HttpError(403, 'PERMISSION_DENIED', missingScopeMessage(route.method, caller.kind));
  }

  const delay = deps.faults.takeDelay(route.method);
  if (delay > 0) await sleep(delay);
  const fault = deps.faults.takeFailure(route.method);
  if (fault && !fault.afterApply) {
    return fail(fault.status, 'Injected failure.', fault.retryAfterSeconds);
  }
  const refusal = deps.limiter.take(route.method, route.space, caller.kind === 'webhook');
  if (refusal) {
    return fail(429, `Quota exceeded: ${refusal.quota}.`, refusal.retryAfterSeconds);
  }

  const reply = route.handler({
    state: deps.state,
    caller,
    query: url.searchParams,
    body,
    ...route,
  });
  if (fault?.afterApply) return fail(fault.status, 'Injected failure after the call was applied.');
  return reply;
}

/** Serves one Chat API request. */
export async function serveChatApi(
  deps: PipelineDeps,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = requestUrl(req);
  const route = matchRoute(req.method ?? 'GET', url.pathname);
  let record: CallRecord = {
    method: route?.method ?? 'unknown',
    path: url.pathname,
    status: 0,
    principal: 'none',
    scopes: [],
    ...(route?.space ? { space: route.space } : {}),
    ...(url.searchParams.get('requestId')
      ? { requestId: url.searchParams.get('requestId') ?? '' }
      : {}),
  };
  const note = (fields: Partial<CallRecord>) => {
    record = { ...record, ...fields };
  };
  try {
    if (!route) throw new HttpError(404, 'NOT_FOUND', 'The stand-in does not serve this method.');
    const reply = await run(deps, req, url, route, note);
    note({ status: reply.status });
    sendJson(res, reply.status, reply.body, reply.headers ?? {});
  } catch (error) {
    const known = error instanceof HttpError ? error : undefined;
    note({ status: known?.status ?? 500 });
    if (known) googleError(res, known.status, known.statusText, known.message);
    else googleError(res, 500, 'INTERNAL', 'Internal error in the local stand-in.');
  } finally {
    deps.calls.push(record);
  }
}
