/**
 * The package's main module, loaded by the functions framework. On Google
 * Cloud each function runs in its own service with `FUNCTION_TARGET` set, so
 * only that function's module (and its dependencies) is imported: a
 * `chatEvents` instance never loads Secret Manager, and vice versa. Without a
 * target (local tools), every function is registered.
 */
import { selectedFunction } from '../shared/config.js';

/**
 * Registered function names and how to load the module that registers each.
 * Each `import()` names its module literally, so the bundler (scripts/bundle.ts)
 * gives every function its own chunk.
 */
export const ENTRY_MODULES = {
  chatEvents: () => import('./chat-events.js'),
  chatPubsub: () => import('./chat-pubsub.js'),
  scheduledDigest: () => import('./scheduled-digest.js'),
  oauthCallback: () => import('./oauth-callback.js'),
} as const;

const target = selectedFunction();
const loaders =
  target !== undefined && target in ENTRY_MODULES
    ? [ENTRY_MODULES[target as keyof typeof ENTRY_MODULES]]
    : Object.values(ENTRY_MODULES);

for (const load of loaders) await load();
