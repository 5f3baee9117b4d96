/**
 * List parameters of the Chat API: `pageSize`, `pageToken`, and for
 * `messages.list` a `filter` and an `orderBy`. Page tokens are opaque to
 * callers; here they carry the `createTime` of the last item returned (which
 * the stand-in keeps unique) and a fingerprint of the query, so a token used
 * with a different query is refused as Chat refuses it.
 */
import { createHash } from 'node:crypto';
import { HttpError } from '../standin.js';
import type { MessageRecord } from './records.js';
import { parseTimestamp, type Micros } from './time.js';

const invalid = (message: string) => new HttpError(400, 'INVALID_ARGUMENT', message);

/** A page of items and the token for the next one. */
export interface Page<T> {
  readonly items: T[];
  readonly nextPageToken?: string;
}

/** Reads `pageSize` with its default and maximum, as Chat clamps it. */
export function pageSizeOf(query: URLSearchParams, fallback: number, max = 1000): number {
  const raw = query.get('pageSize');
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw invalid('pageSize must be a non-negative integer.');
  return n === 0 ? fallback : Math.min(n, max);
}

/**
 * One page of `items` (already filtered and sorted by createTime in
 * `descending` order or not). `fingerprint` names the query the token belongs to.
 */
export function paginate<T extends { readonly createTime: Micros }>(
  items: readonly T[],
  query: URLSearchParams,
  options: { pageSize: number; fingerprint: string; descending?: boolean },
): Page<T> {
  const fp = createHash('sha256').update(options.fingerprint).digest('base64url').slice(0, 12);
  const token = query.get('pageToken');
  let rest = items;
  if (token) {
    const after = decodeToken(token, fp);
    rest = items.filter((i) => (options.descending ? i.createTime < after : i.createTime > after));
  }
  const page = rest.slice(0, options.pageSize);
  const last = page[page.length - 1];
  if (rest.length <= options.pageSize || last === undefined) return { items: page };
  const next = Buffer.from(JSON.stringify({ a: last.createTime, f: fp })).toString('base64url');
  return { items: page, nextPageToken: next };
}

function decodeToken(token: string, fingerprint: string): Micros {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
      a?: unknown;
      f?: unknown;
    };
    if (typeof parsed.a === 'number' && parsed.f === fingerprint) return parsed.a;
  } catch {
    // falls through to the refusal
  }
  throw invalid('The page token is invalid or belongs to a different query.');
}

const CLAUSE =
  /^\s*(createTime|create_time)\s*(>=|<=|>|<)\s*"?([^"\s]+)"?\s*$|^\s*thread\.name\s*=\s*"?([^"\s]+)"?\s*$/;

/**
 * The predicate of a `messages.list` filter: `createTime` compared with
 * `>`, `>=`, `<`, `<=` to a quoted RFC 3339 time, and `thread.name = …`,
 * joined by `AND`. Anything else is refused with 400.
 */
export function messageFilter(filter: string | null): (m: MessageRecord) => boolean {
  if (filter === null || filter.trim() === '') return () => true;
  const tests = filter.split(/\s+AND\s+/).map((clause) => {
    const match = CLAUSE.exec(clause);
    if (!match) throw invalid(`Unsupported filter clause: ${clause.trim().slice(0, 80)}`);
    const [, field, op, value, thread] = match;
    if (field === undefined) return (m: MessageRecord) => m.thread === thread;
    const t = parseTimestamp(value ?? '');
    if (t === undefined) throw invalid('createTime must be an RFC 3339 timestamp.');
    switch (op) {
      case '>':
        return (m: MessageRecord) => m.createTime > t;
      case '>=':
        return (m: MessageRecord) => m.createTime >= t;
      case '<':
        return (m: MessageRecord) => m.createTime < t;
      default:
        return (m: MessageRecord) => m.createTime <= t;
    }
  });
  return (m) => tests.every((test) => test(m));
}

/** Whether `orderBy` asks for newest first; only `createTime ASC|DESC` is accepted. */
export function descendingOrder(orderBy: string | null): boolean {
  if (orderBy === null || orderBy.trim() === '') return false;
  const match = /^\s*create_?[tT]ime(\s+(ASC|DESC))?\s*$/i.exec(orderBy);
  if (!match) throw invalid('orderBy accepts only "createTime ASC" or "createTime DESC".');
  return match[2]?.toUpperCase() === 'DESC';
}
