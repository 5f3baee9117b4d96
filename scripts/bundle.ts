/**
 * `npm run build` step two: bundles the functions into `dist/bundle`, the
 * code the deployable package ships (`package.json` `main`), so a cold
 * instance reads a few files instead of resolving and compiling thousands.
 *
 * - `index.js` is `functions/index.ts`: it imports the one entry module
 *   that `FUNCTION_TARGET` names.
 * - Each function is bundled on its own (`chat-events.js` and its chunks in
 *   `chat-events/`, and so on), every dependency inside but the functions
 *   framework. Bundled apart, each keeps only the code its own function
 *   reaches, and a module it loads with `import()` becomes a chunk loaded
 *   on first use.
 *
 * The functions framework stays external: it is the process that loads the
 * package, and a second copy inside the bundle would register the handlers
 * in a registry nobody serves.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { ENTRY_FILES } from '../local/stack/function-targets.js';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'dist/bundle');

// CommonJS dependencies call require() and read __dirname; an ES module has neither.
const banner = [
  "import { createRequire as __spacelogCreateRequire } from 'node:module';",
  "import { fileURLToPath as __spacelogFileURLToPath } from 'node:url';",
  "import { dirname as __spacelogDirname } from 'node:path';",
  'const require = __spacelogCreateRequire(import.meta.url);',
  'const __filename = __spacelogFileURLToPath(import.meta.url);',
  'const __dirname = __spacelogDirname(__filename);',
].join('\n');

const common: BuildOptions = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  // Identifiers keep their names: protobuf.js and its JSON serialiser tell
  // types apart by constructor name.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  external: ['@google-cloud/functions-framework'],
  banner: { js: banner },
  plugins: [firestoreSideEffectFree()],
  tsconfig: 'tsconfig.build.json',
  logLevel: 'warning',
  metafile: true,
};

/**
 * Lets esbuild drop the Firestore client library from a function that only
 * reaches it through code it never calls: `chatEvents` answers over
 * Firestore's REST API, and loads the library on first use where it needs
 * it (refused inputs, user sign-in). esbuild keeps an imported file, and the
 * chunk holding it, unless it knows the import has no side effects. Two
 * kinds of file are marked so: the library itself, and our modules that
 * import it (Firestore-backed stores and factories, which only declare
 * functions and constants; the build checks each for a value import of it).
 */
function firestoreSideEffectFree(): Plugin {
  const library = /^@google-cloud\/firestore$/;
  const usesLibrary = /^import\s+\{[^}]*\}\s+from\s+'@google-cloud\/firestore';/m;
  const known = new Map<string, boolean>();
  return {
    name: 'firestore-side-effect-free',
    setup(b) {
      b.onResolve({ filter: /^(@google-cloud\/firestore|\.\.?\/.*)$/ }, async (args) => {
        if (args.pluginData === 'firestore-side-effect-free') return undefined;
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'firestore-side-effect-free',
        });
        if (resolved.errors.length > 0) return resolved;
        let pure = library.test(args.path);
        if (
          !pure &&
          resolved.path.startsWith(join(root, 'shared')) &&
          resolved.path.endsWith('.ts')
        ) {
          pure =
            known.get(resolved.path) ?? usesLibrary.test(await readFile(resolved.path, 'utf8'));
          known.set(resolved.path, pure);
        }
        return pure ? { ...resolved, sideEffects: false } : resolved;
      });
    },
  };
}

/** `functions/index.ts` with its entry modules left as imports of the per-function bundles. */
const entryModulesExternal: Plugin = {
  name: 'entry-modules-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/[\w-]+\.js$/ }, (args) =>
      args.importer.endsWith(join('functions', 'index.ts'))
        ? { path: args.path, external: true }
        : undefined,
    );
  },
};

await rm(outdir, { recursive: true, force: true });
const results = await Promise.all([
  build({
    ...common,
    entryPoints: { index: 'functions/index.ts' },
    plugins: [entryModulesExternal],
  }),
  ...Object.values(ENTRY_FILES).map((file) => {
    const name = file.replace(/^functions\/|\.ts$/g, '');
    return build({
      ...common,
      entryPoints: { [name]: file },
      splitting: true,
      chunkNames: `${name}/[name]-[hash]`,
    });
  }),
]);

const outputs = results.flatMap((r) =>
  Object.entries(r.metafile?.outputs ?? {}).filter(([f]) => f.endsWith('.js')),
);
const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
console.log(
  `Bundled ${outputs.length} files (${(bytes / 1024 / 1024).toFixed(1)} MiB) into dist/bundle.`,
);
