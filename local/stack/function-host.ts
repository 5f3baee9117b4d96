/**
 * A child process that serves Cloud Functions the way the functions framework
 * does: the function's module registers with `@google-cloud/functions-framework`
 * and each registered function gets the framework's own server
 * (`getTestServer` builds it with the same middleware as the framework's CLI),
 * listening on 127.0.0.1 only (the CLI listens on every interface).
 *
 * `SPACELOG_SERVE` lists `name=port` pairs. With one function the process
 * sets `FUNCTION_TARGET` and loads the package's main module, exactly as on
 * Cloud Run. With several (the in-memory mode, where the functions must share
 * one process so they share one event log) it loads each entry module.
 * Readiness is reported over the IPC channel; the process exits when its
 * parent goes away.
 */
import type { Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { entryFile, FUNCTION_NAMES, PACKAGE_MAIN, type FunctionName } from './function-targets.js';

/** What the host reports to its parent. */
export type HostMessage =
  | { readonly kind: 'ready'; readonly functions: readonly string[] }
  | { readonly kind: 'failed'; readonly reason: string };

function parseServe(raw: string | undefined): Map<FunctionName, number> {
  const out = new Map<FunctionName, number>();
  for (const pair of (raw ?? '').split(',').filter(Boolean)) {
    const [name, port] = pair.split('=');
    const known = FUNCTION_NAMES.find((candidate) => candidate === name);
    if (known === undefined || !/^\d+$/.test(port ?? '')) {
      throw new Error(`SPACELOG_SERVE has a bad entry: ${pair}`);
    }
    out.set(known, Number(port));
  }
  if (out.size === 0) throw new Error('SPACELOG_SERVE names no function.');
  return out;
}

function report(message: HostMessage): void {
  if (process.send) process.send(message);
}

async function listen(server: Server, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

async function main(): Promise<void> {
  const serve = parseServe(process.env['SPACELOG_SERVE']);
  const names = [...serve.keys()];
  if (names.length === 1 && names[0] !== undefined) {
    process.env['FUNCTION_TARGET'] = names[0];
    await import(pathToFileURL(PACKAGE_MAIN).href);
  } else {
    for (const name of names) await import(pathToFileURL(entryFile(name)).href);
  }

  const servers: Server[] = [];
  for (const [name, port] of serve) {
    const server = getTestServer(name);
    // The framework's CLI turns the socket timeout off too: long handlers keep their connection.
    server.setTimeout(0);
    await listen(server, port);
    servers.push(server);
  }
  report({ kind: 'ready', functions: names });

  const stop = () => {
    for (const server of servers) server.closeAllConnections();
    process.exit(0);
  };
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`function host failed: ${reason}\n`);
  report({ kind: 'failed', reason });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
