/**
 * The soak's Firestore: an emulator the soak runs itself, so it can stop and
 * start it once on the same port, behind a loopback TCP relay that the
 * functions reach it through.
 *
 * The emulator keeps its data in memory and loses it when it stops. A real
 * Firestore outage loses nothing, so the restart keeps the data: the relay
 * first stops accepting and drops every connection (from the functions' side
 * Firestore is gone: connections refused), the soak exports the database
 * through the emulator's export endpoint while nothing can write, stops the
 * emulator, starts it again on the same port with `--import-data`, and only
 * then lets the relay accept again. Every write acknowledged before the
 * outage is therefore there after it, and the checks can ask for all of it.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmulator, type RunningEmulator } from '../emulators.js';

/** The soak's Firestore. */
export interface SoakFirestore {
  /** `127.0.0.1:PORT` of the relay: what the functions are given. */
  readonly host: string;
  /** `127.0.0.1:PORT` of the emulator itself: what the checks read. */
  readonly emulatorHost: string;
  /**
   * Stops the emulator and starts it again on the same port, data kept
   * (see above). Resolves with how long Firestore was unreachable, in ms.
   */
  restart(projectId: string, database: string): Promise<number>;
  stop(): Promise<void>;
}

/** A loopback TCP relay that can refuse connections for a while. */
interface Relay {
  readonly port: number;
  /** Stops listening and drops every open connection. */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

async function startRelay(targetPort: number): Promise<Relay> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = connect({ host: '127.0.0.1', port: targetPort });
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
      server = s;
    });
  const cut = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  await listen();
  return { port, cut, resume: listen, close: cut };
}

async function exportData(emulatorHost: string, projectId: string, database: string, dir: string) {
  mkdirSync(dir, { recursive: true });
  const res = await fetch(`http://${emulatorHost}/emulator/v1/projects/${projectId}:export`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      database: `projects/${projectId}/databases/${database}`,
      export_directory: dir,
    }),
    signal: AbortSignal.timeout(120_000),
  });
  if (!res.ok)
    throw new Error(`Firestore emulator export failed: ${res.status} ${await res.text()}`);
  // The export writes DIR/NAME/NAME.overall_export_metadata; import takes that file.
  const name = readdirSync(dir).find((entry) => entry.startsWith('firestore_export'));
  if (name === undefined) throw new Error('Firestore emulator export wrote nothing.');
  return join(dir, name, `${name}.overall_export_metadata`);
}

/** Starts the emulator and its relay on free loopback ports. */
export async function startSoakFirestore(): Promise<SoakFirestore> {
  const work = mkdtempSync(join(tmpdir(), 'spacelog-soak-firestore-'));
  let emulator: RunningEmulator = await startEmulator('firestore');
  const emulatorPort = Number(emulator.host.split(':')[1]);
  const relay = await startRelay(emulatorPort);

  return {
    host: `127.0.0.1:${relay.port}`,
    emulatorHost: emulator.host,
    async restart(projectId, database) {
      const started = Date.now();
      await relay.cut();
      const metadata = await exportData(emulator.host, projectId, database, join(work, 'export'));
      await emulator.stop();
      await untilPortFree(emulatorPort, 30_000);
      emulator = await startEmulator('firestore', {
        port: emulatorPort,
        args: [`--import-data=${metadata}`],
      });
      await relay.resume();
      return Date.now() - started;
    },
    async stop() {
      await relay.close();
      await emulator.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

async function untilPortFree(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Port ${port} still in use ${ms} ms after the emulator stopped.`);
}
