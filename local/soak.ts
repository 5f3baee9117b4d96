/**
 * `npm run soak`: a bounded reliability run of the whole of Spacelog on this
 * machine, loopback only (see `local/soak/run.ts` for what it does and
 * README "Soak test"). Options: `--interactions N` (10,000), `--spaces M`
 * (200), `--seed S`, `--concurrency C`, `--settle-seconds T`, `--verbose`.
 * Prints progress, the failures if any, and last a JSON summary line; exits
 * 1 when anything was lost, doubled or leaked, 2 on a bad option.
 */
import { parseSoakOptions, type SoakOptions } from './soak/options.js';
import { runSoak } from './soak/run.js';

const say = (line: string): void => {
  process.stdout.write(`soak: ${line}\n`);
};

let options: SoakOptions;
try {
  options = parseSoakOptions(process.argv.slice(2));
} catch (error) {
  say((error as Error).message);
  process.exit(2);
}

say(
  `${options.interactions} interactions across ${options.spaces} spaces, seed ${options.seed}, ` +
    `${options.concurrency} in flight.`,
);
// A soak that hangs must still end by itself, and stop what it started.
const limitMs = 120_000 + options.settleSeconds * 1000 + options.interactions * 200;
const abort = new AbortController();
setTimeout(() => {
  say(`gave up after ${Math.round(limitMs / 1000)} s; stopping everything.`);
  abort.abort();
  setTimeout(() => process.exit(1), 30_000).unref();
}, limitMs).unref();

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping everything.`);
    abort.abort();
    setTimeout(() => process.exit(1), 30_000).unref();
  });
}

runSoak(options, say, abort.signal)
  .then((report) => {
    for (const failure of report.failures) say(`FAILED: ${failure}`);
    for (const sample of report.leaks.samples) say(`leak: ${sample}`);
    say(report.failures.length === 0 ? 'passed.' : 'failed.');
    process.stdout.write(`${JSON.stringify(report.line)}\n`);
    process.exit(report.failures.length === 0 ? 0 : 1);
  })
  .catch((error: unknown) => {
    say(
      `could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exit(1);
  });
