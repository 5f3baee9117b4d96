/**
 * What an app answers when no handler is registered for an interaction:
 * always a reply of the right shape for the kind, so Chat never shows
 * "not responding". A dialog request must be answered with a dialog, a
 * widget update with suggestions; removals and unknown kinds are only
 * acknowledged.
 */
import { card, section, textParagraph } from '../interaction/cards.js';
import type { Interaction } from '../interaction/model.js';
import { privatelyTo, replies, type Reply } from '../interaction/reply.js';

/** The reply for an interaction nothing handles. */
export function defaultReply(interaction: Interaction): Reply {
  switch (interaction.kind) {
    case 'dialog':
      return interaction.phase === 'open'
        ? replies.openDialog(
            card('unavailable', { sections: [section([textParagraph('This is not available.')])] })
              .card,
          )
        : replies.closeDialog();
    case 'widget-update':
      return replies.updateWidget([]);
    case 'card-click':
      return replies.text('That button no longer does anything.', privatelyTo(interaction));
    case 'message':
    case 'mention':
    case 'slash-command':
    case 'app-command':
      return replies.text('Sorry, I do not know that one.', privatelyTo(interaction));
    case 'added-to-space':
    case 'removed-from-space':
    case 'app-home':
    case 'unknown':
      return replies.nothing();
  }
}

/**
 * The reply the watchdog sends when a handler overruns the deadline: a
 * holding answer of the right shape; the handler's work goes on.
 */
export function stillWorkingReply(interaction: Interaction): Reply {
  const notice = 'Still working on it. This is taking longer than it should.';
  switch (interaction.kind) {
    case 'dialog':
      return replies.closeDialog(notice);
    case 'widget-update':
      return replies.updateWidget([]);
    case 'removed-from-space':
    case 'app-home':
    case 'unknown':
      return replies.nothing();
    default:
      return replies.text(notice, privatelyTo(interaction));
  }
}
