/**
 * What the app says about itself: the welcome card posted when it is added
 * to a space, and `/help`.
 */
import {
  card,
  decoratedText,
  section,
  textParagraph,
  type CardWithId,
} from '../../interaction/cards.js';

const COMMANDS: readonly (readonly [string, string])[] = [
  ['/digest', 'See and change this space’s digest: on or off, daily or weekly, and when.'],
  [
    '/incident TITLE',
    'Open an incident: a new space with the responders, and the details posted there.',
  ],
  ['/help', 'This list.'],
];

/** The list of commands as card widgets. */
function commandWidgets() {
  return COMMANDS.map(([command, what]) => decoratedText({ topLabel: command, text: what }));
}

/** The card posted when the app joins a space; `digest` describes the space's digest. */
export function welcomeCard(digest: string): CardWithId {
  return card('welcome', {
    header: { title: 'Spacelog is here', subtitle: 'A log of this space, digests and incidents' },
    sections: [
      section([
        textParagraph(
          'I keep a record of what happens here that involves me, post a digest of the space ' +
            `(currently ${digest}) and open incident spaces on request.`,
        ),
      ]),
      section(commandWidgets(), 'What you can ask'),
    ],
  });
}

/** The `/help` card. */
export function helpCard(): CardWithId {
  return card('help', {
    header: { title: 'Spacelog commands' },
    sections: [section(commandWidgets())],
  });
}
