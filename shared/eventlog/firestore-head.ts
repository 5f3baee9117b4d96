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
import type { StreamId } from './types.js';

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
 * versions and a lower bound `from` known to exist (or 0).
 */
export async function findHead(
  exists: (versions: readonly number[]) => Promise<readonly boolean[]>,
  from: number,
): Promise<number> {
  let low = from;
  let high: number | undefined;

  // Gallop: small steps first (the usual case is "nothing new"), then powers of two.
  let offsets = FIRST_GALLOP;
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
