/**
 * What the end-to-end tests share: `npm start` as a child process (in its
 * own process group, so SIGINT reaches it as Ctrl-C in a terminal would),
 * Debian's Chromium through playwright-core, and a check that nothing is
 * left listening after the stack stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Where the end-to-end tests save their screenshots (gitignored). */
export const SCREENSHOTS = join(process.cwd(), 'test-results', 'e2e');

/** Saves a screenshot of `page` as `SCREENSHOTS/name.png`. */
export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

/** What the page's server says about the running stack (`GET /api/state`). */
export interface PageState {
  functions: Record<string, string>;
  emulators: Record<string, string>;
  spaces: { name: string }[];
}

/** The running stack's state, as the page reads it. */
export async function pageState(spacelog: RunningSpacelog): Promise<PageState> {
  return (await (await fetch(`${spacelog.url}api/state`)).json()) as PageState;
}

/** A running `npm start`. */
export interface RunningSpacelog {
  /** The page, from the ready line. */
  readonly url: string;
  /** Everything it printed so far. */
  output(): string;
  /**
   * Sends SIGINT to its process group, as Ctrl-C in a terminal does, and
   * resolves once no process of the group is left (npm may exit before the
   * stack has finished stopping). Rejects after 60 s.
   */
  interrupt(): Promise<void>;
}

const READY = /Spacelog is running at (http:\/\/127\.0\.0\.1:\d+\/)/;

/** Starts `npm start -- ARGS` and resolves once it prints its ready line. */
export async function startSpacelog(args: readonly string[]): Promise<RunningSpacelog> {
  const child: ChildProcess = spawn('npm', ['start', '--', ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FIRESTORE_EMULATOR_HOST: '', PUBSUB_EMULATOR_HOST: '' },
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const group = child.pid;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 90 s:\n${output}`)), 90_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = READY.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
    interrupt: async () => {
      if (group === undefined || !groupAlive(group)) return;
      process.kill(-group, 'SIGINT');
      const deadline = Date.now() + 60_000;
      while (groupAlive(group)) {
        if (Date.now() > deadline) throw new Error(`still running 60 s after SIGINT:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

/** Headless Chromium with a fresh profile, and its first page. */
export async function openBrowser(): Promise<{ page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'spacelog-e2e-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The `host:port`s among `addresses` that still accept a connection. */
export async function stillListening(addresses: readonly string[]): Promise<string[]> {
  const open = await Promise.all(
    addresses.map(
      (address) =>
        new Promise<boolean>((resolve) => {
          const { hostname, port } = new URL(`http://${address.replace(/^http:\/\//, '')}`);
          const socket = connect({ host: hostname, port: Number(port) });
          socket.once('connect', () => {
            socket.destroy();
            resolve(true);
          });
          socket.once('error', () => resolve(false));
        }),
    ),
  );
  return addresses.filter((_, i) => open[i]);
}
