/**
 * Starts and stops the Firestore and Pub/Sub emulators on free loopback ports.
 * Used by the integration tests' global setup, the benchmarks and `npm start`.
 * A missing emulator is an error that says how to install it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Which emulator to start. */
export type EmulatorKind = 'firestore' | 'pubsub';

/** A running emulator. */
export interface RunningEmulator {
  readonly kind: EmulatorKind;
  /** `127.0.0.1:PORT`, the value for FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST. */
  readonly host: string;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'Install the gcloud CLI with its emulators: apt-get install google-cloud-cli ' +
  'google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator default-jre-headless ' +
  '(from Google Cloud SDK apt repository), or see README "Running the tests".';

/** True when `gcloud` can start this emulator here. */
export function emulatorAvailable(kind: EmulatorKind): boolean {
  const probe = spawnSync('gcloud', ['beta', 'emulators', kind, '--help'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Finds a free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts one emulator and resolves once it answers HTTP. Rejects with an
 * install hint when gcloud or the emulator component is missing.
 */
export async function startEmulator(
  kind: EmulatorKind,
  options: { port?: number; timeoutMs?: number; args?: readonly string[] } = {},
): Promise<RunningEmulator> {
  if (!emulatorAvailable(kind)) {
    throw new Error(`The ${kind} emulator is not available on this machine. ${INSTALL_HINT}`);
  }
  const port = options.port ?? (await freePort());
  const host = `127.0.0.1:${port}`;
  const args = ['beta', 'emulators', kind, 'start', `--host-port=${host}`, '--quiet'];
  if (kind === 'firestore') args.push('--database-mode=firestore-native');
  // Extra flags of the emulator, such as Firestore's `--import-data=PATH`.
  args.push(...(options.args ?? []));
  const child = spawn('gcloud', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  try {
    await waitUntilReady(host, child, options.timeoutMs ?? 60_000);
  } catch (err) {
    killGroup(child);
    throw new Error(`The ${kind} emulator did not start: ${(err as Error).message}\n${output}`);
  }
  return { kind, host, stop: () => stopChild(child) };
}

async function waitUntilReady(host: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`not ready after ${timeoutMs} ms`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}
