/**
 * Local stand-in of Secret Manager's REST surface that
 * `@google-cloud/secret-manager` uses with `fallback: 'rest'`:
 * `GET /v1/projects/P/secrets/S/versions/V:access` (V a number or `latest`).
 * Payloads come back as proto3 JSON: `payload.data` base64, `payload.dataCrc32c`
 * an int64 as a decimal string.
 * https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { crc32c } from './crc32c.js';
import { googleError, listen, requestUrl, sendJson, type StandIn } from './standin.js';

/** The state of a secret version, as Secret Manager names it. */
export type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

interface Version {
  readonly number: number;
  state: VersionState;
  data: Buffer | undefined;
}

/** Options of {@link startSecretManager}. */
export interface SecretManagerOptions {
  /** When given, only this id or {@link projectNumber} is accepted as P. */
  readonly projectId?: string;
  /** Used in returned names (Google answers with the number); default P as sent. */
  readonly projectNumber?: string;
  readonly port?: number;
}

/** The running Secret Manager stand-in and its controls. */
export interface SecretManagerStandIn extends StandIn {
  /** Adds an enabled version (creating the secret); returns its number. */
  addVersion(secret: string, data: string | Buffer): number;
  disable(secret: string, version: number): void;
  enable(secret: string, version: number): void;
  /** Destroys a version: its data is gone for good. */
  destroy(secret: string, version: number): void;
  /** While true, every request answers 503 UNAVAILABLE. */
  setUnavailable(unavailable: boolean): void;
  /** `:access` requests so far, for one secret or all (refused ones included). */
  accessCount(secret?: string): number;
}

const ACCESS_PATH = /^\/v1\/projects\/([^/]+)\/secrets\/([^/]+)\/versions\/([^/:]+):access$/;

/** Starts the Secret Manager stand-in on 127.0.0.1. */
export async function startSecretManager(
  options: SecretManagerOptions = {},
): Promise<SecretManagerStandIn> {
  const secrets = new Map<string, Version[]>();
  const accesses = new Map<string, number>();
  let unavailable = false;

  const versionOf = (secret: string, number: number): Version => {
    const version = secrets.get(secret)?.find((candidate) => candidate.number === number);
    if (!version) throw new Error(`No version ${number} of secret ${secret}.`);
    return version;
  };

  const access = (res: ServerResponse, project: string, secret: string, id: string): void => {
    accesses.set(secret, (accesses.get(secret) ?? 0) + 1);
    const known = [options.projectId, options.projectNumber].filter((p) => p !== undefined);
    const versions = secrets.get(secret);
    const resource = `projects/${project}/secrets/${secret}`;
    if ((known.length > 0 && !known.includes(project)) || !versions) {
      return googleError(
        res,
        404,
        'NOT_FOUND',
        `Secret [${resource}] not found or has no versions.`,
      );
    }
    const version =
      id === 'latest'
        ? versions.findLast((candidate) => candidate.state === 'ENABLED')
        : versions.find((candidate) => String(candidate.number) === id);
    if (!version) {
      return googleError(
        res,
        404,
        'NOT_FOUND',
        `Secret Version [${resource}/versions/${id}] not found.`,
      );
    }
    const name = `projects/${options.projectNumber ?? project}/secrets/${secret}/versions/${version.number}`;
    if (version.state !== 'ENABLED' || !version.data) {
      const state = version.state;
      return googleError(
        res,
        400,
        'FAILED_PRECONDITION',
        `Secret Version [${name}] is in ${state} state.`,
      );
    }
    sendJson(res, 200, {
      name,
      payload: { data: version.data.toString('base64'), dataCrc32c: String(crc32c(version.data)) },
    });
  };

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (unavailable)
      return googleError(res, 503, 'UNAVAILABLE', 'The service is currently unavailable.');
    if (!/^Bearer \S+/.test(req.headers.authorization ?? '')) {
      return googleError(
        res,
        401,
        'UNAUTHENTICATED',
        'Request is missing required authentication credential.',
      );
    }
    const match = ACCESS_PATH.exec(requestUrl(req).pathname);
    if (req.method !== 'GET' || !match) return googleError(res, 404, 'NOT_FOUND', 'Not found.');
    const [, project = '', secret = '', id = ''] = match.map((part) => decodeURIComponent(part));
    access(res, project, secret, id);
  };

  const server = await listen(handler, options.port);
  return {
    url: server.url,
    close: () => server.close(),
    addVersion(secret, data) {
      const versions = secrets.get(secret) ?? [];
      const number = versions.length + 1;
      versions.push({ number, state: 'ENABLED', data: Buffer.from(data) });
      secrets.set(secret, versions);
      return number;
    },
    disable(secret, version) {
      const found = versionOf(secret, version);
      if (found.state === 'ENABLED') found.state = 'DISABLED';
    },
    enable(secret, version) {
      const found = versionOf(secret, version);
      if (found.state === 'DISABLED') found.state = 'ENABLED';
    },
    destroy(secret, version) {
      const found = versionOf(secret, version);
      found.state = 'DESTROYED';
      found.data = undefined;
    },
    setUnavailable(value) {
      unavailable = value;
    },
    accessCount(secret) {
      if (secret !== undefined) return accesses.get(secret) ?? 0;
      return [...accesses.values()].reduce((sum, count) => sum + count, 0);
    },
  };
}
