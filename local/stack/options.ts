/**
 * Options of `npm start`, from its command line and environment:
 * `--port N` (or `SPACELOG_PORT`, default 8080) for the page,
 * `--in-memory` (or `SPACELOG_IN_MEMORY=true`) to skip the emulators even
 * where they are installed, `--audience KIND` (or `CHAT_AUDIENCE_KIND`) for
 * the kind of token Chat signs requests with, `--quiet` to keep the
 * functions' log lines off the terminal.
 */
import { parseArgs } from 'node:util';

/** The token kinds a Chat app can be configured for. */
export type AudienceKind = 'project-number' | 'endpoint-url' | 'add-on';

const KINDS: readonly AudienceKind[] = ['project-number', 'endpoint-url', 'add-on'];

/** What `npm start` was asked for. */
export interface StackOptions {
  /** Port of the page on 127.0.0.1; 0 picks a free one. */
  readonly port: number;
  /** Never start the emulators; use the in-memory event log and in-process delivery. */
  readonly inMemory: boolean;
  readonly audienceKind: AudienceKind;
  /** Keep the functions' log lines off the terminal. */
  readonly quiet: boolean;
}

/** Parses the command line and environment; throws a message naming the bad option. */
export function parseStackOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): StackOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      'in-memory': { type: 'boolean' },
      audience: { type: 'string' },
      quiet: { type: 'boolean' },
    },
    strict: true,
  });
  const rawPort = values.port ?? env['SPACELOG_PORT'] ?? '8080';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) {
    throw new Error(
      `--port (SPACELOG_PORT) accepts a port number from 0 to 65535, not ${rawPort}.`,
    );
  }
  const rawKind = values.audience ?? env['CHAT_AUDIENCE_KIND'] ?? 'endpoint-url';
  const audienceKind = KINDS.find((kind) => kind === rawKind);
  if (audienceKind === undefined) {
    throw new Error(`--audience (CHAT_AUDIENCE_KIND) accepts one of ${KINDS.join(', ')}.`);
  }
  return {
    port,
    inMemory: values['in-memory'] ?? env['SPACELOG_IN_MEMORY'] === 'true',
    audienceKind,
    quiet: values.quiet ?? false,
  };
}
