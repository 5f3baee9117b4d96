/**
 * Finds a stream's newest version in Firestore by reading documents by key,
 * never by querying: a gallop forward from the last version this process
 * saw, then a 16-way narrowing. Each round is one `getAll` of a few
 * version documents reading only their `version` field, so the cost grows
 * with the log(distance) from what this process already knew, not with the
 * stream's length. Version documents are never deleted, so a version seen
 * once is a safe lower bound forever.
 */
import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import type { RecordedEvent, StreamId } from './types.js';

const CACHE_LIMIT = 10_000;
const FIRST_GALLOP = [1, 2, 4, 8];
const NARROW_WAYS = 16;

/** Known stream heads of this process, bounded. */
export class HeadCache {
  readonly #heads = new Map<StreamId, number>();

  /** The highest version known to exist (0 when none is known). */
  get(stream: StreamId): number {
    return this.#heads.get(stream) ?? 0;
  }

  /** Records that `version` exists; keeps the highest. */
  saw(stream: StreamId, version: number): void {
    const known = this.#heads.get(stream) ?? 0;
    if (version <= known) return;
    this.#heads.delete(stream);
    this.#heads.set(stream, version);
    if (this.#heads.size > CACHE_LIMIT) {
      const oldest = this.#heads.keys().next().value;
      if (oldest !== undefined) this.#heads.delete(oldest);
    }
  }
}

/**
 * The newest version of `stream` (0 when empty), given `exists` for a batch of
 * versions and a lower bound `from` known to exist (or 0). `firstGallop`, the
 * offsets past `from` looked up in the first round, may be wider than the
 * default when round trips cost more than lookups (a cold stream).
 */
export async function findHead(
  exists: (versions: readonly number[]) => Promise<readonly boolean[]>,
  from: number,
  firstGallop: readonly number[] = FIRST_GALLOP,
): Promise<number> {
  let low = from;
  let high: number | undefined;

  // Gallop: small steps first (the usual case is "nothing new"), then powers of two.
  let offsets = firstGallop;
  while (high === undefined) {
    const versions = offsets.map((o) => low + o);
    const found = await exists(versions);
    const firstMissing = found.indexOf(false);
    if (firstMissing < 0) {
      low = versions.at(-1) ?? low;
      offsets = Array.from({ length: 20 }, (_, i) => 2 ** (i + 4));
      continue;
    }
    if (firstMissing > 0) low = versions[firstMissing - 1] ?? low;
    high = versions[firstMissing];
  }

  // Narrow (low exists, high does not) until they touch.
  while (high - low > 1) {
    const step = Math.max(1, Math.floor((high - low) / NARROW_WAYS));
    const versions: number[] = [];
    for (let v = low + step; v < high; v += step) versions.push(v);
    const found = await exists(versions);
    const firstMissing = found.indexOf(false);
    if (firstMissing < 0) {
      low = versions.at(-1) ?? low;
    } else {
      if (firstMissing > 0) low = versions[firstMissing - 1] ?? low;
      high = versions[firstMissing] ?? high;
    }
  }
  return low;
}

/** `exists` for `findHead` over one stream's version documents. */
export function versionsExist(
  db: Firestore,
  ref: (version: number) => DocumentReference,
): (versions: readonly number[]) => Promise<readonly boolean[]> {
  return async (versions) => {
    if (versions.length === 0) return [];
    const snaps = await db.getAll(...versions.map(ref), { fieldMask: ['version'] });
    return snaps.map((s) => s.exists);
  };
}

/** How far past what an instance knows a stream read looks, in the same request. */
const LOOK_AHEAD = 20;

/** The two ways of reading a stream that both Firestore stores give. */
export interface StreamReads {
  readStream(
    stream: StreamId,
    options?: { readonly afterVersion?: number; readonly limit?: number },
  ): Promise<RecordedEvent[]>;
  readStreamTail(stream: StreamId, limit: number): Promise<RecordedEvent[]>;
}

/** Versions one read asks for at most. */
const GET_ALL_CHUNK = 100;

/**
 * Stream reads over a store's own primitives: `getVersions` reads up to
 * 100 version documents by key in one request (undefined for a missing
 * one), and `head` finds the newest version. What this instance knows
 * exists, and a little past it, is read in one request: on a cold instance
 * that is one round trip, not two.
 */
export function streamReads(
  heads: HeadCache,
  head: (stream: StreamId) => Promise<number>,
  getVersions: (
    stream: StreamId,
    versions: readonly number[],
  ) => Promise<(RecordedEvent | undefined)[]>,
  defaultLimit: number,
): StreamReads {
  // The versions `from .. from + count - 1` that exist, in order; a gap ends them.
  const readVersions = async (stream: StreamId, from: number, count: number) => {
    const out: RecordedEvent[] = [];
    for (let start = from; start < from + count; start += GET_ALL_CHUNK) {
      const size = Math.min(GET_ALL_CHUNK, from + count - start);
      const found = await getVersions(
        stream,
        Array.from({ length: size }, (_, i) => start + i),
      );
      const missing = found.indexOf(undefined);
      out.push(...((missing < 0 ? found : found.slice(0, missing)) as RecordedEvent[]));
      if (missing >= 0) break;
    }
    const last = out.at(-1);
    if (last !== undefined) heads.saw(stream, last.version);
    return out;
  };

  return {
    async readStream(stream, options = {}) {
      const limit = options.limit ?? defaultLimit;
      const out: RecordedEvent[] = [];
      let from = (options.afterVersion ?? 0) + 1;
      while (out.length < limit) {
        const known = Math.max(0, heads.get(stream) - from + 1);
        const want = Math.min(limit - out.length, known + LOOK_AHEAD);
        const got = await readVersions(stream, from, want);
        out.push(...got);
        if (got.length < want) break;
        from += want;
      }
      return out;
    },

    async readStreamTail(stream, limit) {
      const newest = await head(stream);
      const from = Math.max(1, newest - limit + 1);
      return newest === 0 ? [] : readVersions(stream, from, newest - from + 1);
    },
  };
}
