/**
 * Serves a function from the deployable package (`scripts/package.sh` writes
 * it to `dist/package`) the way Cloud Run does: the functions framework
 * loads the package's `main` module with `FUNCTION_TARGET` set and
 * `NODE_ENV=production`. The package test and `npm run bench cold-start`
 * use it, so what they try is what Terraform ships.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './emulators.js';
import { REPO_ROOT } from './stack/function-targets.js';

/** Where `scripts/package.sh` writes the package. */
export const PACKAGE_DIR = join(REPO_ROOT, 'dist/package');

const FRAMEWORK_MAIN = join(
  REPO_ROOT,
  'node_modules/@google-cloud/functions-framework/build/src/main.js',
);

/** Builds the package (`scripts/package.sh`); throws when the build fails. */
export function buildPackage(): void {
  const built = spawnSync('bash', ['scripts/package.sh'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('scripts/package.sh failed');
}

/** A function process, started but perhaps not listening yet. */
export interface ServedFunction {
  readonly url: string;
  /** `performance.now()` when the process was spawned. */
  readonly spawnedAt: number;
  /** The last 16 KiB it printed (standard output and error), for checks and failure messages. */
  output(): string;
  /** Resolves with the first answer to `request()`, sent until the process listens. */
  firstAnswer(request: () => RequestInit, timeoutMs?: number): Promise<Response>;
  stop(): void;
}

/** Starts `target` from `source` (a directory with a package.json) with `env` added. */
export async function serveFunction(
  source: string,
  target: string,
  env: Record<string, string>,
): Promise<ServedFunction> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const spawnedAt = performance.now();
  const child = spawn(
    process.execPath,
    [FRAMEWORK_MAIN, `--target=${target}`, `--source=${source}`, `--port=${port}`],
    {
      env: { ...process.env, ...env, FUNCTION_TARGET: target, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-16_384));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  return {
    url,
    spawnedAt,
    output: () => output,
    async firstAnswer(request, timeoutMs = 30_000) {
      const started = performance.now();
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${target} exited: ${output}`);
        if (performance.now() - started > timeoutMs) throw new Error(`${target} did not answer`);
        const answer = await fetch(url, { method: 'POST', ...request() }).catch(() => undefined);
        if (answer !== undefined) return answer;
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    stop: () => child.kill('SIGKILL'),
  };
}
