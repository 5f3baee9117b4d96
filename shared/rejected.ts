/**
 * Refused inputs, kept where an operator can see why they were refused:
 * Firestore collection `rejected` (a TTL policy on `expireAt` deletes them
 * after `REJECTED_RETENTION_DAYS`), or memory in tests. Bounded three ways:
 * content cut to `REJECTED_MAX_BYTES`; one document per (source, reason,
 * content hash), so a repeat only bumps its count; and at most
 * `maxWritesPerMinute` writes per instance, the rest only counted.
 *
 * Content is a raw payload: it is stored, never logged. Before storing,
 * add-on `authorizationEventObject` (user and system tokens) is removed and
 * credential-shaped strings are scrubbed. Unauthenticated requests are not
 * kept here at all, only counted by the caller.
 */
import { createHash } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import type { Clock } from './clock.js';
import type { Logger } from './log.js';
import { redactString } from './redact.js';

/** One refused input. */
export interface RejectedInput {
  /** The function that refused it, such as `chatEvents`. */
  readonly source: string;
  /** Fixed reason code (`content-type`, `body-too-large`, `missing-space`, ...). */
  readonly reason: string;
  readonly content: Buffer | string;
  readonly contentType?: string;
}

/** A kept refusal, as stored. */
export interface RejectedRecord {
  readonly source: string;
  readonly reason: string;
  readonly contentType: string;
  /** Sanitised content, at most `maxBytes`. */
  readonly content: string;
  readonly contentBytes: number;
  readonly truncated: boolean;
  readonly lastSeenAt: Date;
  readonly expireAt: Date;
  readonly count: number;
}

/** Where refused inputs go. `keep` never throws: keeping them is best effort. */
export interface RejectedStore {
  keep(input: RejectedInput): Promise<void>;
}

/** Limits shared by both stores. */
export interface RejectedLimits {
  readonly maxBytes: number;
  readonly retentionDays: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Default 60. */
  readonly maxWritesPerMinute?: number;
}

/** The sanitised, cut record of an input, and its document id. */
export function toRecord(
  input: RejectedInput,
  limits: Pick<RejectedLimits, 'maxBytes' | 'retentionDays' | 'clock'>,
): { id: string; record: Omit<RejectedRecord, 'count'> } {
  const bytes = typeof input.content === 'string' ? Buffer.from(input.content) : input.content;
  const id = createHash('sha256')
    .update(`${input.source}\n${input.reason}\n`)
    .update(bytes)
    .digest('hex')
    .slice(0, 40);
  const clean = Buffer.from(sanitise(bytes));
  const now = limits.clock.now();
  return {
    id,
    record: {
      source: input.source,
      reason: input.reason.slice(0, 128),
      contentType: (input.contentType ?? '').slice(0, 128),
      content: clean.subarray(0, limits.maxBytes).toString('utf8'),
      contentBytes: bytes.length,
      truncated: clean.length > limits.maxBytes,
      lastSeenAt: now,
      expireAt: new Date(now.getTime() + limits.retentionDays * 86_400_000),
    },
  };
}

function sanitise(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && 'authorizationEventObject' in value) {
      delete (value as Record<string, unknown>).authorizationEventObject;
      return redactString(JSON.stringify(value));
    }
  } catch {
    // Not JSON: kept as text, scrubbed below.
  }
  return redactString(text);
}

/** Caps writes per minute; refusals beyond it are only counted. */
function writeBudget(limits: RejectedLimits) {
  const max = limits.maxWritesPerMinute ?? 60;
  let windowStart = 0;
  let used = 0;
  let dropped = 0;
  return () => {
    const now = limits.clock.now().getTime();
    if (now - windowStart >= 60_000) {
      if (dropped > 0)
        limits.logger.warn('Refused inputs not kept: write budget spent.', { dropped });
      windowStart = now;
      used = 0;
      dropped = 0;
    }
    if (used >= max) {
      dropped += 1;
      return false;
    }
    used += 1;
    return true;
  };
}

/** The Firestore store: collection `rejected`, one document per (source, reason, content). */
export function createFirestoreRejectedStore(
  firestore: Firestore,
  limits: RejectedLimits,
  collection = 'rejected',
): RejectedStore {
  const allowed = writeBudget(limits);
  return {
    async keep(input) {
      if (!allowed()) return;
      const { id, record } = toRecord(input, limits);
      try {
        await firestore
          .collection(collection)
          .doc(id)
          .set(
            {
              ...record,
              lastSeenAt: Timestamp.fromDate(record.lastSeenAt),
              expireAt: Timestamp.fromDate(record.expireAt),
              count: FieldValue.increment(1),
            },
            { merge: true },
          );
      } catch (error) {
        limits.logger.warn('A refused input could not be kept.', { error, reason: input.reason });
      }
    },
  };
}

/** The in-memory store, with `records()` for tests. */
export function createMemoryRejectedStore(
  limits: RejectedLimits,
): RejectedStore & { records(): RejectedRecord[] } {
  const allowed = writeBudget(limits);
  const byId = new Map<string, RejectedRecord>();
  return {
    keep(input) {
      if (allowed()) {
        const { id, record } = toRecord(input, limits);
        byId.set(id, { ...record, count: (byId.get(id)?.count ?? 0) + 1 });
      }
      return Promise.resolve();
    },
    records: () => [...byId.values()],
  };
}
