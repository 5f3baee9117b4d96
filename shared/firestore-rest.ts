/**
 * A small Firestore client over its REST API (v1), for the request path of
 * `chatEvents`: it reads documents by name, commits writes and runs one
 * kind of query, and loads in a few milliseconds where the client library
 * (gRPC/protobuf stack included) costs hundreds on a cold instance. Data is
 * encoded as the client library encodes it (safe integers as integers, other
 * numbers as doubles, undefined properties left out), so documents written
 * by either read back the same through the other.
 *
 * https://cloud.google.com/firestore/docs/reference/rest
 */
import type { Config } from './config.js';
import { lightFetch } from './http/client.js';

/** A document's fields, decoded to plain values (timestamps as `RestTimestamp`). */
export type RestFields = Record<string, unknown>;

/** A Firestore timestamp as REST reports it (RFC 3339, nanosecond precision). */
export class RestTimestamp {
  constructor(readonly iso: string) {}

  /** Seconds and nanoseconds since the epoch, as the client library's `Timestamp` has them. */
  parts(): { seconds: number; nanoseconds: number } {
    const match = /^(.*?)(?:\.(\d+))?Z$/.exec(this.iso);
    const whole = Date.parse(`${match?.[1] ?? this.iso}Z`);
    const fraction = (match?.[2] ?? '').padEnd(9, '0').slice(0, 9);
    return { seconds: Math.floor(whole / 1000), nanoseconds: Number(fraction) };
  }
}

/** One write of a commit. */
export interface RestWrite {
  /** Document path below the database, such as `eventIds/abc`. */
  readonly path: string;
  readonly fields: RestFields;
  /** Fail with ALREADY_EXISTS when the document exists (the library's `create`). */
  readonly mustNotExist?: boolean;
  /** Merge into an existing document instead of replacing it. */
  readonly mergeFields?: readonly string[];
  /** Fields set to the commit time. */
  readonly serverTimestamps?: readonly string[];
  /** Fields incremented by a number. */
  readonly increments?: Readonly<Record<string, number>>;
}

/** A document a query returned. */
export interface RestDocument {
  /** Path below the database. */
  readonly path: string;
  readonly fields: RestFields;
}

/** A failed call, with the gRPC status code the client library would report. */
export class FirestoreRestError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
  ) {
    super(message);
    this.name = 'FirestoreRestError';
  }
}

/** The REST client. */
export interface FirestoreRest {
  /** Documents by path, in the order asked; undefined for a missing one. */
  getAll(
    paths: readonly string[],
    fieldMask?: readonly string[],
  ): Promise<(RestFields | undefined)[]>;
  commit(writes: readonly RestWrite[]): Promise<void>;
  /** Runs a structured query at the database root; returns its documents and read time. */
  runQuery(query: object): Promise<{ documents: RestDocument[]; readTime: RestTimestamp }>;
  /** The full resource name of a document path (for query cursors). */
  documentName(path: string): string;
}

/** Headers for an authorised call (the runtime's credentials). */
export type RestAuthHeaders = () => Promise<Readonly<Record<string, string>>>;

const STATUS_CODES: Readonly<Record<string, number>> = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};
// UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED, DEADLINE_EXCEEDED: tried again after a pause.
const TRANSIENT = new Set([4, 8, 10, 14]);
const ATTEMPTS = 3;
const TIMEOUT_MS = 30_000;

/**
 * A client for `config`'s database. Against the emulator it sends the
 * emulator's conventional `owner` token; otherwise `authHeaders` supplies
 * the runtime's credentials.
 */
export function createFirestoreRest(
  config: Pick<Config, 'projectId' | 'firestoreDatabase' | 'firestoreEmulatorHost'>,
  authHeaders: RestAuthHeaders,
): FirestoreRest {
  const emulator = config.firestoreEmulatorHost;
  const origin = emulator === undefined ? 'https://firestore.googleapis.com' : `http://${emulator}`;
  const root = `projects/${config.projectId}/databases/${config.firestoreDatabase}/documents`;
  const headers = emulator === undefined ? authHeaders : () => Promise.resolve(OWNER);
  const call = (method: string, body: object) =>
    post(`${origin}/v1/${root}:${method}`, body, headers);
  const name = (path: string) => `${root}/${path}`;
  const pathOf = (full: string) => full.slice(root.length + 1);

  return {
    async getAll(paths, fieldMask) {
      if (paths.length === 0) return [];
      const body = {
        documents: paths.map(name),
        ...(fieldMask === undefined ? {} : { mask: { fieldPaths: fieldMask } }),
      };
      const results = (await call('batchGet', body)) as BatchGetResult[];
      const found = new Map<string, RestFields>();
      for (const r of results) {
        if (r.found !== undefined) found.set(r.found.name, decodeFields(r.found.fields));
      }
      return paths.map((p) => found.get(name(p)));
    },

    async commit(writes) {
      await call('commit', { writes: writes.map((w) => toWrite(w, name(w.path))) });
    },

    async runQuery(query) {
      const results = (await call('runQuery', { structuredQuery: query })) as QueryResult[];
      const readTime = results.find((r) => r.readTime !== undefined)?.readTime;
      return {
        documents: results
          .filter((r) => r.document !== undefined)
          .map((r) => ({
            path: pathOf(r.document!.name),
            fields: decodeFields(r.document!.fields),
          })),
        readTime: new RestTimestamp(readTime ?? new Date().toISOString()),
      };
    },

    documentName: name,
  };
}

const OWNER: Readonly<Record<string, string>> = { authorization: 'Bearer owner' };

interface RestDoc {
  readonly name: string;
  readonly fields?: Record<string, RestValue>;
}
interface BatchGetResult {
  readonly found?: RestDoc;
  readonly missing?: string;
}
interface QueryResult {
  readonly document?: RestDoc;
  readonly readTime?: string;
}
type RestValue = Record<string, unknown>;

async function post(url: string, body: object, headers: RestAuthHeaders): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await lightFetch(url, {
      method: 'POST',
      headers: { ...(await headers()), 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    }).then(
      async (response) => {
        const text = await response.text();
        return response.ok ? { ok: JSON.parse(text) as unknown } : restError(response.status, text);
      },
      (err: unknown) =>
        new FirestoreRestError(`Firestore unreachable: ${(err as Error).name}.`, 14),
    );
    if (!(outcome instanceof FirestoreRestError)) return outcome.ok;
    if (attempt >= ATTEMPTS || !TRANSIENT.has(outcome.code ?? 0)) throw outcome;
    await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
  }
}

function restError(httpStatus: number, text: string): FirestoreRestError {
  let status: string | undefined;
  try {
    const parsed = JSON.parse(text) as
      { error?: { status?: string } } | { error?: { status?: string } }[];
    status = (Array.isArray(parsed) ? parsed[0] : parsed)?.error?.status;
  } catch {
    // Not JSON (a proxy's page): the HTTP status decides.
  }
  const code =
    (status !== undefined ? STATUS_CODES[status] : undefined) ??
    (httpStatus === 429 ? 8 : httpStatus === 503 ? 14 : httpStatus === 409 ? 10 : undefined);
  return new FirestoreRestError(`Firestore answered ${httpStatus} ${status ?? ''}`.trim(), code);
}

function toWrite(w: RestWrite, name: string): object {
  const transforms = [
    ...(w.serverTimestamps ?? []).map((fieldPath) => ({
      fieldPath,
      setToServerValue: 'REQUEST_TIME',
    })),
    ...Object.entries(w.increments ?? {}).map(([fieldPath, n]) => ({
      fieldPath,
      increment: encodeValue(n),
    })),
  ];
  return {
    update: { name, fields: encodeFields(w.fields) },
    ...(w.mustNotExist === true ? { currentDocument: { exists: false } } : {}),
    ...(w.mergeFields === undefined ? {} : { updateMask: { fieldPaths: w.mergeFields } }),
    ...(transforms.length === 0 ? {} : { updateTransforms: transforms }),
  };
}

/** Encodes plain fields as Firestore values; undefined properties are left out. */
export function encodeFields(fields: RestFields): Record<string, RestValue> {
  const out: Record<string, RestValue> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) out[key] = encodeValue(value);
  }
  return out;
}

function encodeValue(value: unknown): RestValue {
  if (value === null) return { nullValue: null };
  switch (typeof value) {
    case 'boolean':
      return { booleanValue: value };
    case 'string':
      return { stringValue: value };
    case 'number':
      if (Number.isSafeInteger(value)) return { integerValue: String(value) };
      return { doubleValue: Number.isFinite(value) ? value : String(value) };
    case 'object':
      if (value instanceof Date) return { timestampValue: value.toISOString() };
      if (value instanceof RestTimestamp) return { timestampValue: value.iso };
      if (Array.isArray(value)) {
        return { arrayValue: { values: value.filter((v) => v !== undefined).map(encodeValue) } };
      }
      return { mapValue: { fields: encodeFields(value as RestFields) } };
    default:
      throw new TypeError(`Firestore cannot store a ${typeof value}.`);
  }
}

/** Decodes Firestore values to plain ones (timestamps as `RestTimestamp`). */
export function decodeFields(fields: Record<string, RestValue> | undefined): RestFields {
  const out: RestFields = {};
  for (const [key, value] of Object.entries(fields ?? {})) out[key] = decodeValue(value);
  return out;
}

function decodeValue(value: RestValue): unknown {
  if ('stringValue' in value) return value['stringValue'];
  if ('integerValue' in value) return Number(value['integerValue']);
  if ('doubleValue' in value) return Number(value['doubleValue']);
  if ('booleanValue' in value) return value['booleanValue'];
  if ('nullValue' in value) return null;
  if ('timestampValue' in value) return new RestTimestamp(value['timestampValue'] as string);
  if ('mapValue' in value) {
    return decodeFields((value['mapValue'] as { fields?: Record<string, RestValue> }).fields);
  }
  if ('arrayValue' in value) {
    const values = (value['arrayValue'] as { values?: RestValue[] }).values ?? [];
    return values.map(decodeValue);
  }
  // Bytes, references and geo points: Spacelog stores none; kept as sent.
  return Object.values(value)[0];
}
