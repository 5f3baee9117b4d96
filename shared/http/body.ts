/**
 * Reading a JSON request body within limits: the content type must be
 * `application/json` (400), the body at most `maxBytes` (413), and it must
 * parse as JSON (400). Works behind the functions framework, which has
 * already read and parsed the body (`rawBody`, `body`), and on a plain
 * `node:http` server, where the stream is read here and cut off at the limit.
 *
 * The functions framework parses JSON before our code runs and answers a
 * malformed `application/json` body with its own 400: that case never
 * reaches this module there (see the README of `chatEvents`).
 */
import type { IncomingMessage } from 'node:http';
import { invalidInput, SpacelogError } from '../errors.js';

/** A request as the functions framework hands it over (or a plain one). */
export type BodyRequest = IncomingMessage & { readonly rawBody?: Buffer; readonly body?: unknown };

/** A body that was read: its bytes, kept for the refused-input store, and its JSON. */
export interface JsonBody {
  readonly raw: Buffer;
  readonly json: unknown;
}

/** Why a body was refused, with the bytes read so far (for the refused-input store). */
export class BodyRefused extends SpacelogError {
  constructor(
    code: 'invalid-input' | 'too-large',
    reason: string,
    readonly raw: Buffer,
  ) {
    super(code, 'Request body refused.', { reason });
  }
}

/** True for `application/json`, with or without parameters such as `charset`. */
export function isJsonContentType(value: string | undefined): boolean {
  if (value === undefined) return false;
  const type = value.split(';', 1)[0]?.trim().toLowerCase();
  return type === 'application/json';
}

/**
 * Reads and parses the JSON body of `req`, enforcing type and size. Behind
 * the functions framework the body is already in memory and the answer is
 * immediate (no promise); a plain request's stream is read asynchronously.
 */
export function readJsonBody(req: BodyRequest, maxBytes: number): JsonBody | Promise<JsonBody> {
  const contentType = req.headers['content-type'];
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  const refusal: ['invalid-input' | 'too-large', string] | undefined = !isJsonContentType(
    contentType,
  )
    ? ['invalid-input', 'content-type']
    : Number.isFinite(declared) && declared > maxBytes
      ? ['too-large', 'body-too-large']
      : undefined;

  if (req.rawBody !== undefined) {
    const raw = req.rawBody;
    if (refusal !== undefined)
      throw new BodyRefused(refusal[0], refusal[1], raw.subarray(0, maxBytes));
    if (raw.length > maxBytes)
      throw new BodyRefused('too-large', 'body-too-large', raw.subarray(0, maxBytes));
    if (typeof req.body === 'object' && req.body !== null) return { raw, json: req.body };
    return parsed(raw);
  }
  return readStream(req, maxBytes).then((raw) => {
    if (refusal !== undefined)
      throw new BodyRefused(refusal[0], refusal[1], raw.subarray(0, maxBytes));
    if (raw.length > maxBytes)
      throw new BodyRefused('too-large', 'body-too-large', raw.subarray(0, maxBytes));
    return parsed(raw);
  });
}

function parsed(raw: Buffer): JsonBody {
  try {
    return { raw, json: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    throw new BodyRefused('invalid-input', 'malformed-json', raw);
  }
}

/** Reads a plain request's stream, keeping at most one byte more than `maxBytes`. */
async function readStream(req: BodyRequest, maxBytes: number): Promise<Buffer> {
  if (req.readableEnded) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    if (size <= maxBytes) chunks.push(buffer);
    size += buffer.length;
  }
  return Buffer.concat(chunks).subarray(0, maxBytes + 1);
}

/** An `invalid-input` for a request that is not a POST. */
export function wrongMethod(): SpacelogError {
  return invalidInput('Only POST is accepted.', { reason: 'method' });
}
