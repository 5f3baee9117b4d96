/**
 * Starts the functions in child processes (`function-host.ts`), each served
 * by the functions framework on its own loopback port.
 *
 * Grouping: with Firestore (the emulator) every function runs in its own
 * process, as each runs in its own service on Cloud Run, with
 * `FUNCTION_TARGET` set. With the in-memory event log they must share one
 * process, or each would keep a log of its own; the functions still get one
 * port and one framework server each. The same host serves both groupings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { HostMessage } from './function-host.js';
import { REPO_ROOT, type FunctionName } from './function-targets.js';

const HOST_FILE = fileURLToPath(new URL('./function-host.ts', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

/** Where the functions' output goes: one call per line, with the process's label. */
export type LineSink = (label: string, line: string) => void;

/** The running function processes. */
export interface RunningFunctions {
  /** Process ids, for checks that nothing is left behind. */
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

function startHost(
  targets: ReadonlyMap<FunctionName, number>,
  env: Record<string, string | undefined>,
  sink: LineSink,
): { child: ChildProcess; ready: Promise<void> } {
  const serve = [...targets].map(([name, port]) => `${name}=${port}`).join(',');
  const label = targets.size === 1 ? [...targets.keys()].join('') : 'functions';
  const child = spawn(process.execPath, ['--import', 'tsx', HOST_FILE], {
    cwd: REPO_ROOT,
    env: { ...env, SPACELOG_SERVE: serve },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  // The last lines are kept for the error message when the host fails, even with a quiet sink.
  const recent: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      recent.push(line);
      if (recent.length > 40) recent.shift();
      sink(label, line);
    });
  }
  const failure = (what: string) => new Error(`${label} ${what}:\n${recent.join('\n')}`);

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(failure(`did not start within ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    child.on('message', (message: HostMessage) => {
      clearTimeout(timer);
      if (message.kind === 'ready') resolve();
      else reject(failure('failed to start'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(failure(`exited with code ${code ?? 'none'} while starting`));
    });
  });
  return { child, ready };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `ports`' functions, in one process each or all in one process
 * (`shared`), and resolves once every one listens.
 */
export async function startFunctions(options: {
  readonly ports: ReadonlyMap<FunctionName, number>;
  readonly shared: boolean;
  readonly env: Record<string, string | undefined>;
  readonly sink: LineSink;
}): Promise<RunningFunctions> {
  const groups = options.shared
    ? [options.ports]
    : [...options.ports].map(([name, port]) => new Map([[name, port]]));
  const hosts = groups.map((group) => startHost(group, options.env, options.sink));
  const stop = async () => {
    await Promise.all(hosts.map((host) => stopChild(host.child)));
  };
  try {
    await Promise.all(hosts.map((host) => host.ready));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    pids: hosts.flatMap((host) => (host.child.pid === undefined ? [] : [host.child.pid])),
    stop,
  };
}
