/**
 * Options of `npm run soak`: `--interactions N` (default 10,000),
 * `--spaces M` (default 200), `--seed S` (default: from the clock, printed),
 * `--concurrency C` deliveries in flight (default 16), `--settle-seconds T`
 * longest wait for the asynchronous work after the last delivery (default
 * 600), `--verbose` to show the functions' log lines.
 */
import { parseArgs } from 'node:util';

/** What the soak was asked for. */
export interface SoakOptions {
  readonly interactions: number;
  readonly spaces: number;
  readonly seed: number;
  readonly concurrency: number;
  readonly settleSeconds: number;
  readonly verbose: boolean;
}

/** Defaults of the full-size run. */
export const SOAK_DEFAULTS = {
  interactions: 10_000,
  spaces: 200,
  concurrency: 16,
  settleSeconds: 600,
} as const;

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new Error(`--${name} accepts a positive integer, not ${raw}.`);
  }
  return Number(raw);
}

/** Parses the command line; throws a message naming a bad option. */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      interactions: { type: 'string' },
      spaces: { type: 'string' },
      seed: { type: 'string' },
      concurrency: { type: 'string' },
      'settle-seconds': { type: 'string' },
      verbose: { type: 'boolean' },
    },
    strict: true,
  });
  const options = {
    interactions: positive('interactions', values.interactions, SOAK_DEFAULTS.interactions),
    spaces: positive('spaces', values.spaces, SOAK_DEFAULTS.spaces),
    seed: positive('seed', values.seed, (Date.now() % 2_147_483_647) + 1),
    concurrency: positive('concurrency', values.concurrency, SOAK_DEFAULTS.concurrency),
    settleSeconds: positive(
      'settle-seconds',
      values['settle-seconds'],
      SOAK_DEFAULTS.settleSeconds,
    ),
    verbose: values.verbose ?? false,
  };
  if (options.interactions > 200_000 || options.spaces > 5_000) {
    throw new Error('The soak is bounded: at most 200,000 interactions and 5,000 spaces.');
  }
  return options;
}
