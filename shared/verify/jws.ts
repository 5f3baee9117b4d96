/**
 * Strict decoding of a compact JWS (`header.payload.signature`) as Chat puts
 * it in `Authorization: Bearer`. Decoding checks shape only; what the claims
 * and the signature must be is decided in `claims.ts` and `verifier.ts`.
 */
import { refused } from './refusal.js';

/** A token split into its parts, nothing checked but its shape. */
export interface DecodedToken {
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** `header.payload` as sent: the bytes the signature covers. */
  readonly signingInput: string;
  readonly signature: Buffer;
}

/** Longest token accepted; Google's tokens are about 1 KB. */
export const MAX_TOKEN_LENGTH = 8192;

const SEGMENT = /^[A-Za-z0-9_-]+$/;

/**
 * The bearer token of an `Authorization` header value. Refuses a missing
 * header, another scheme, and more than one credential.
 */
export function bearerToken(authorization: string | readonly string[] | undefined): string {
  if (authorization === undefined || authorization === '') throw refused('missing-token');
  if (typeof authorization !== 'string') throw refused('several-authorization-headers');
  const match = /^Bearer +([^\s]+) *$/i.exec(authorization);
  if (match?.[1] === undefined) throw refused('not-bearer');
  return match[1];
}

/** Splits and decodes a compact JWS, refusing anything that is not exactly one. */
export function decodeToken(token: string): DecodedToken {
  if (token.length > MAX_TOKEN_LENGTH) throw refused('token-too-long');
  const parts = token.split('.');
  if (parts.length !== 3) throw refused('not-a-jws');
  const [head = '', body = '', signature = ''] = parts;
  if (!SEGMENT.test(head) || !SEGMENT.test(body) || !SEGMENT.test(signature)) {
    throw refused('bad-encoding');
  }
  return {
    header: jsonObject(head, 'bad-header'),
    payload: jsonObject(body, 'bad-payload'),
    signingInput: `${head}.${body}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

function jsonObject(segment: string, reason: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw refused(reason);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw refused(reason);
  return value as Record<string, unknown>;
}
