/**
 * Placeholders for the commands that need a user's own credentials
 * (`/signout`, `/myspaces`), so their command ids resolve until the
 * user-credentials work registers the real handlers. Registering another
 * handler for the same id replaces these; nothing else depends on them.
 */
import { privatelyTo } from '../../interaction/reply.js';
import type { ChatApp } from '../types.js';
import type { SpacelogServices } from './services.js';

/** Registers "not enabled" answers for `/signout` and `/myspaces`. */
export function registerSignInPlaceholders(
  app: ChatApp<SpacelogServices>,
  commandIds: readonly string[],
): void {
  for (const id of commandIds) {
    app.onSlashCommand(id, (context) =>
      context.reply.text(
        'Sign-in features are not enabled here yet.',
        privatelyTo(context.interaction),
      ),
    );
  }
}
