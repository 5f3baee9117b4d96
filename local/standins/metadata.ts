/**
 * Stand-in for the metadata server's token endpoint, which hands a function
 * on Google Cloud its service account's access token. Like the real one it
 * answers only requests that carry `Metadata-Flavor: Google`; it mints a
 * fresh opaque token per request, counts requests, and can be told to fail.
 * https://cloud.google.com/compute/docs/access/authenticate-workloads#applications
 */
import { randomBytes } from 'node:crypto';
import { listen, requestUrl, sendJson, type StandIn } from './standin.js';

const TOKEN_PATH = '/computeMetadata/v1/instance/service-accounts/default/token';

/** A running metadata stand-in. */
export interface MetadataStandIn extends StandIn {
  /** `host:port`, as `GCE_METADATA_HOST` takes it. */
  readonly host: string;
  /** Token requests answered or refused so far. */
  readonly requests: number;
  /** Tokens issued, newest last. */
  readonly issued: readonly string[];
  /** Answers the next `count` token requests with `status`. */
  failNext(count: number, status: number): void;
}

/** Starts the stand-in; tokens last `expiresInSeconds` (default 3599, as Google's). */
export async function startMetadata(
  options: { expiresInSeconds?: number } = {},
): Promise<MetadataStandIn> {
  const expiresIn = options.expiresInSeconds ?? 3599;
  const issued: string[] = [];
  let requests = 0;
  let failures: { count: number; status: number } = { count: 0, status: 500 };

  const server = await listen((req, res) => {
    const path = requestUrl(req).pathname;
    if (path !== TOKEN_PATH) return sendJson(res, 404, { error: 'not found' });
    requests += 1;
    if (req.headers['metadata-flavor'] !== 'Google') {
      return sendJson(res, 403, { error: 'Missing Metadata-Flavor: Google header.' });
    }
    if (failures.count > 0) {
      failures = { ...failures, count: failures.count - 1 };
      return sendJson(res, failures.status, { error: 'injected failure' });
    }
    const token = `ya29.local-${randomBytes(12).toString('base64url')}`;
    issued.push(token);
    sendJson(res, 200, { access_token: token, expires_in: expiresIn, token_type: 'Bearer' });
  });

  return {
    ...server,
    host: new URL(server.url).host,
    get requests() {
      return requests;
    },
    issued,
    failNext(count, status) {
      failures = { count, status };
    },
  };
}
