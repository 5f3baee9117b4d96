/**
 * The four Cloud Functions as the local stack serves them: registered name,
 * entry module, and the path the functions framework sees. Entry modules are
 * the same files the package's main module (`functions/index.ts`) loads.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A function's registered name. */
export type FunctionName = 'chatEvents' | 'chatPubsub' | 'scheduledDigest' | 'oauthCallback';

/** Every function, in the order the stack starts them. */
export const FUNCTION_NAMES: readonly FunctionName[] = [
  'chatEvents',
  'chatPubsub',
  'scheduledDigest',
  'oauthCallback',
];

export const ENTRY_FILES: Readonly<Record<FunctionName, string>> = {
  chatEvents: 'functions/chat-events.ts',
  chatPubsub: 'functions/chat-pubsub.ts',
  scheduledDigest: 'functions/scheduled-digest.ts',
  oauthCallback: 'functions/oauth-callback.ts',
};

/** The repository root (two levels above this file). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Absolute path of a function's entry module. */
export function entryFile(name: FunctionName): string {
  return fileURLToPath(new URL(`../../${ENTRY_FILES[name]}`, import.meta.url));
}

/** The package's main module, which loads the entry module of `FUNCTION_TARGET`. */
export const PACKAGE_MAIN = fileURLToPath(new URL('../../functions/index.ts', import.meta.url));

/** Functions whose entry module exists in this checkout, and those that do not. */
export function presentFunctions(): { present: FunctionName[]; missing: FunctionName[] } {
  const present = FUNCTION_NAMES.filter((name) => existsSync(entryFile(name)));
  const missing = FUNCTION_NAMES.filter((name) => !present.includes(name));
  return { present, missing };
}

/** The repository-relative entry file, for messages. */
export function entryFileLabel(name: FunctionName): string {
  return ENTRY_FILES[name];
}
