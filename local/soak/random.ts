/**
 * The soak's chance, from a seed, so a run can be repeated: a small PRNG
 * (mulberry32) and made-up words that appear nowhere else. Message texts are
 * built from such words, so finding one of them in a log line is exact
 * evidence that message text leaked.
 */

/** A seeded source of chance. */
export interface Chance {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** A made-up lowercase word of 12 letters, distinct from every other it made. */
  word(): string;
  /** `count` made-up words joined by spaces. */
  words(count: number): string;
  /** Fisher-Yates shuffle in place. */
  shuffle<T>(items: T[]): T[];
  /** Every word {@link word} made so far. */
  madeWords(): ReadonlySet<string>;
}

const CONSONANTS = 'bcdfghjklmnpqrstvwxz';
const VOWELS = 'aeiouy';

/** A chance source for `seed`. */
export function seededChance(seed: number): Chance {
  let state = seed >>> 0;
  const made = new Set<string>();
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const word = (): string => {
    for (;;) {
      let w = '';
      for (let i = 0; i < 6; i += 1) w += pick([...CONSONANTS]) + pick([...VOWELS]);
      if (!made.has(w)) {
        made.add(w);
        return w;
      }
    }
  };
  return {
    next,
    int,
    pick,
    word,
    words: (count) => Array.from({ length: count }, word).join(' '),
    madeWords: () => made,
    shuffle<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i -= 1) {
        const j = int(i + 1);
        [items[i], items[j]] = [items[j] as T, items[i] as T];
      }
      return items;
    },
  };
}
