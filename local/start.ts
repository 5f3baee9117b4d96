/**
 * `npm start`: runs the whole of Spacelog on this machine and serves a page
 * that plays Google Chat. Options: `--port N` (or `SPACELOG_PORT`, default
 * 8080), `--in-memory`, `--audience project-number|endpoint-url|add-on`,
 * `--quiet`. Ctrl-C stops everything it started.
 */
import { parseStackOptions } from './stack/options.js';
import { startStack, type Stack } from './stack/stack.js';

const say = (line: string): void => {
  process.stdout.write(`spacelog: ${line}\n`);
};

function readableLine(label: string, line: string): string {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const { severity, message, time, ...fields } = entry;
    if (typeof message === 'string' && time !== undefined) {
      const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      return `[${label}] ${typeof severity === 'string' ? severity : 'INFO'} ${message}${extra}`;
    }
  } catch {
    // not a JSON log line: shown as it is
  }
  return `[${label}] ${line}`;
}

async function main(): Promise<void> {
  const options = parseStackOptions(process.argv.slice(2), process.env);
  const sink = options.quiet
    ? () => undefined
    : (label: string, line: string) => process.stdout.write(readableLine(label, line) + '\n');

  let stopping = false;
  const starting: Promise<Stack> = startStack(options, say, sink);
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping everything.`);
    // A stack still starting is stopped once it is up (or has cleaned up after failing).
    starting
      .then(
        (stack) => stack.stop(),
        () => undefined,
      )
      .then(() => {
        say('stopped.');
        process.exit(0);
      })
      .catch((error: unknown) => {
        say(`stopping failed: ${(error as Error).message}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // npm's shell may die of a signal without passing it on: an orphaned stack stops itself.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('parent exited');
  }, 1000).unref();

  const stack = await starting;
  if (stopping) return;
  say('Ctrl-C stops everything.');
  process.stdout.write(`Spacelog is running at ${stack.url}\n`);
}

main().catch((error: unknown) => {
  say(`could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
