/**
 * Answers for the commands that need a user's own credentials (`/signout`,
 * `/myspaces`) where user sign-in is not set up (no `OAUTH_CLIENT_ID`, or
 * the in-memory log), so their command ids still get a reply.
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
