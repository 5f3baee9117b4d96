/**
 * The `/digest` card: the space's digest settings, with buttons that set
 * each one. Every button carries the absolute value it sets (see
 * `digest-settings.ts`), computed from the settings the card shows.
 */
import {
  actionButton,
  buttonList,
  card,
  decoratedText,
  section,
  textParagraph,
  type CardWithId,
} from '../../interaction/cards.js';
import { shiftTime, type DigestSettings } from './digest-settings.js';

/** The action every digest button runs. */
export const DIGEST_SET_ACTION = 'digest.set';

const WEEKDAYS = [
  '',
  'Mondays',
  'Tuesdays',
  'Wednesdays',
  'Thursdays',
  'Fridays',
  'Saturdays',
  'Sundays',
];

/** One line saying what the settings are, such as "daily at 09:00 (Europe/Paris)". */
export function describeDigest(settings: DigestSettings): string {
  if (!settings.enabled) return 'off';
  const when =
    settings.cadence === 'weekly' ? `weekly on ${WEEKDAYS[settings.weekday ?? 1]}` : 'daily';
  return `${when} at ${settings.timeOfDay} (${settings.timeZone})`;
}

/** The card for these settings. */
export function digestCard(settings: DigestSettings): CardWithId {
  const set = (parameters: Record<string, string>) => ({ name: DIGEST_SET_ACTION, parameters });
  const status = settings.enabled ? 'On' : 'Off';
  const cadence = settings.cadence === 'weekly' ? 'Weekly' : 'Daily';

  return card('digest-settings', {
    header: { title: 'Space digest', subtitle: `Currently ${describeDigest(settings)}` },
    sections: [
      section([
        decoratedText({
          topLabel: 'Digest',
          text: status,
          button: actionButton(
            settings.enabled ? 'Turn off' : 'Turn on',
            set({ enabled: String(!settings.enabled) }),
          ),
        }),
        decoratedText({
          topLabel: 'How often',
          text:
            settings.cadence === 'weekly'
              ? `${cadence}, ${WEEKDAYS[settings.weekday ?? 1]}`
              : cadence,
          button: actionButton(
            settings.cadence === 'weekly' ? 'Make daily' : 'Make weekly',
            set({ cadence: settings.cadence === 'weekly' ? 'daily' : 'weekly' }),
          ),
        }),
        decoratedText({
          topLabel: 'Time of day',
          text: settings.timeOfDay,
          bottomLabel: settings.timeZone,
        }),
        buttonList([
          actionButton('1 hour earlier', set({ timeOfDay: shiftTime(settings.timeOfDay, -1) })),
          actionButton('1 hour later', set({ timeOfDay: shiftTime(settings.timeOfDay, 1) })),
        ]),
      ]),
      section([
        textParagraph(
          'The time zone is the one your Chat client reports when you change a setting.',
        ),
      ]),
    ],
  });
}
