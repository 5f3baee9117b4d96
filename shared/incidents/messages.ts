/**
 * What incidents post: the details card in the incident's space (with the
 * Acknowledge button), the resolution message, the report back to the space
 * `/incident` was asked in, and the sign-in request of `user` mode. Titles
 * and summaries are content: they are posted, never logged.
 */
import {
  actionButton,
  buttonList,
  card,
  decoratedText,
  linkButton,
  section,
  textParagraph,
  type Button,
  type CardWithId,
} from '../interaction/cards.js';
import type { PayloadOf } from '../eventlog/index.js';
import { SpacelogError } from '../errors.js';
import type { ChatCardWithId, ChatMessage } from '../outbound/index.js';

/** The action of the details card's Acknowledge button; its parameter is `incidentKey`. */
export const ACKNOWLEDGE_ACTION = 'incident.acknowledge';

/** Chat card text is a small HTML subset: what an alert says must not become markup. */
export function escapeCardText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The details card of an opened incident. */
export function detailsCard(
  key: string,
  opened: PayloadOf<'IncidentOpened'>,
  link: string | undefined,
): CardWithId {
  const facts = [
    decoratedText({ topLabel: 'Severity', text: escapeCardText(opened.severity ?? 'not given') }),
    decoratedText({
      topLabel: 'Opened by',
      text:
        opened.source === 'alert' ? 'an alert' : `/incident from ${opened.requestedBy ?? 'a user'}`,
    }),
    decoratedText({
      topLabel: 'Responders',
      text: opened.responders.length === 0 ? 'none named' : opened.responders.join(', '),
    }),
  ];
  const buttons: Button[] = [
    actionButton('Acknowledge', { name: ACKNOWLEDGE_ACTION, parameters: { incidentKey: key } }),
  ];
  if (link !== undefined) buttons.push(linkButton('Open alert', link));

  return card('incident-details', {
    header: { title: escapeCardText(opened.title), subtitle: `Incident ${key}` },
    sections: [
      ...(opened.summary === undefined
        ? []
        : [section([textParagraph(escapeCardText(opened.summary))])]),
      section(facts),
      section([buttonList(buttons)]),
    ],
  });
}

/** The details message: the card, and a line of text for notifications. */
export function detailsMessage(
  key: string,
  opened: PayloadOf<'IncidentOpened'>,
  link: string | undefined,
): ChatMessage {
  return {
    text: `Incident opened: ${opened.title}`,
    cardsV2: [detailsCard(key, opened, link)] as ChatCardWithId[],
  };
}

/** The resolution message posted in the incident's space. */
export function resolutionMessage(title: string | undefined, source: string): ChatMessage {
  const what = title === undefined ? 'This incident' : `Incident “${title}”`;
  const by = source === 'alert' ? 'The alert cleared.' : '';
  return { text: `✅ ${what} is resolved. ${by}`.trim() };
}

/** The report in the space `/incident` was asked in. */
export function reportMessage(spaceDisplayName: string): ChatMessage {
  return { text: `Incident space created: ${spaceDisplayName}. The responders have been added.` };
}

/** Asks the user, privately, to sign in before a space can be made as them. */
export function signInMessage(user: string, authorizationUrl: string | undefined): ChatMessage {
  const how =
    authorizationUrl === undefined
      ? 'Sign in to Spacelog (for example with /myspaces), then run /incident again.'
      : `Sign in here, then run /incident again: ${authorizationUrl}`;
  return {
    text: `To open incident spaces as you, Spacelog needs your permission. ${how}`,
    privateMessageViewer: { name: user },
  };
}

/** The `requestId` base of every Chat write of an incident. */
export const incidentRequestBase = (key: string): string => `incident:${key}`;

/** The name Chat gave a message; a message without one is Chat misbehaving (retry). */
export function nameOf(message: ChatMessage): string {
  if (typeof message.name === 'string' && message.name !== '') return message.name;
  throw new SpacelogError('unavailable', 'Chat answered a create without a message name.');
}
