/**
 * The shape every benchmark reports. A figure is a value measured in this run
 * over a baseline measured in the same run (these machines are noisy), with
 * the goal it is held to.
 */

/** One measured figure. */
export interface Figure {
  /** Dotted name, such as `cold-start.chatEvents`. */
  readonly bench: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline: number;
  /** value / baseline. */
  readonly ratio: number;
  /** Human-readable goal, such as `ratio <= 0.5`. */
  readonly goal: string;
  /** Whether the goal was met in this run. */
  readonly met: boolean;
}

/** A benchmark module: `bench/NAME.bench.ts` exports `run`. */
export type Bench = () => Promise<readonly Figure[]>;

/** Builds a figure from a value and a baseline, checking a ratio goal. */
export function figure(
  bench: string,
  value: number,
  unit: string,
  baseline: number,
  goal: { readonly max?: number; readonly min?: number; readonly on?: 'ratio' | 'value' },
): Figure {
  const ratio = baseline === 0 ? Number.POSITIVE_INFINITY : value / baseline;
  const subject = goal.on === 'value' ? value : ratio;
  const name = goal.on === 'value' ? 'value' : 'ratio';
  const parts: string[] = [];
  if (goal.max !== undefined) parts.push(`${name} <= ${goal.max}`);
  if (goal.min !== undefined) parts.push(`${name} >= ${goal.min}`);
  const met =
    (goal.max === undefined || subject <= goal.max) &&
    (goal.min === undefined || subject >= goal.min);
  return { bench, value, unit, baseline, ratio, goal: parts.join(' and '), met };
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
