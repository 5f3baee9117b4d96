/**
 * The package's main module, loaded by the functions framework. On Google
 * Cloud each function runs in its own service with `FUNCTION_TARGET` set, so
 * only that function's module (and its dependencies) is imported: a
 * `chatEvents` instance never loads Secret Manager, and vice versa. Without a
 * target (local tools), every function is registered.
 */
import { selectedFunction } from '../shared/config.js';

/** Registered function names and the module that registers each. */
export const ENTRY_MODULES = {
  chatEvents: './chat-events.js',
  chatPubsub: './chat-pubsub.js',
  scheduledDigest: './scheduled-digest.js',
  oauthCallback: './oauth-callback.js',
} as const;

const target = selectedFunction();
const modules =
  target !== undefined && target in ENTRY_MODULES
    ? [ENTRY_MODULES[target as keyof typeof ENTRY_MODULES]]
    : Object.values(ENTRY_MODULES);

for (const path of modules) await import(path);
