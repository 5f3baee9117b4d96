/**
 * A digest as a Chat message: a cardsV2 card with the period's activity, a
 * one-line `text` headline and a plain-text `fallbackText` for clients and
 * notifications that show no cards. Times are in the space's time zone. The
 * message stays within Chat's limits (32,000 bytes a message, 32 KB a card):
 * lists are cut to fewer entries, each with "and N more", until it fits.
 * https://developers.google.com/workspace/chat/api/reference/rest/v1/cards
 */
import { DateTime } from 'luxon';
import type { ChatCardWithId, ChatMessage } from '../outbound/index.js';
import type { DigestSummary, Tally } from './summary.js';

/** Bytes a digest may take in all (text, fallback text and card JSON): under Chat's 32,000. */
export const DIGEST_MAX_BYTES = 30_000;

/** Entries per list before trimming starts, then the smaller caps tried in turn. */
const LIST_CAPS = [50, 25, 10, 5, 3, 1, 0] as const;
/** Longest name shown; longer ones are cut with an ellipsis. */
const NAME_MAX = 200;

/** What a digest message is rendered from. */
export interface DigestView {
  readonly summary: DigestSummary;
  readonly periodStart: Date;
  readonly periodEnd: Date;
  readonly timeZone: string;
  readonly spaceDisplayName?: string;
  /** Display names by user resource name; others show as their resource name. */
  readonly names?: ReadonlyMap<string, string>;
}

/** The rendered digest, and whether lists had to be cut to fit. */
export interface RenderedDigest {
  readonly message: ChatMessage;
  readonly trimmed: boolean;
  readonly bytes: number;
}

/** Renders a digest within {@link DIGEST_MAX_BYTES} (`maxBytes` for tests). */
export function renderDigest(view: DigestView, maxBytes = DIGEST_MAX_BYTES): RenderedDigest {
  for (const cap of LIST_CAPS) {
    const message = build(view, cap);
    const bytes = sizeOf(message);
    // A smaller cap only changes anything when a list was longer: then it was cut to fit.
    if (bytes <= maxBytes) return { message, trimmed: cap !== LIST_CAPS[0], bytes };
  }
  // Only counts are left and still too big (a huge space name): cut the text fields.
  const message = build(view, 0);
  const cut: ChatMessage = {
    ...message,
    text: clip(message.text ?? '', 200),
    fallbackText: clip(message.fallbackText ?? '', 1000),
  };
  return { message: cut, trimmed: true, bytes: sizeOf(cut) };
}

/** The short note of a quiet period (no card). */
export function renderQuietNote(view: Omit<DigestView, 'summary'>): ChatMessage {
  return { text: `No new activity in this space since ${when(view.periodStart, view.timeZone)}.` };
}

/** UTF-8 bytes of the parts of a message Chat counts against its limit. */
export function sizeOf(message: ChatMessage): number {
  const cards = message.cardsV2 ? Buffer.byteLength(JSON.stringify(message.cardsV2)) : 0;
  return (
    Buffer.byteLength(message.text ?? '') + Buffer.byteLength(message.fallbackText ?? '') + cards
  );
}

function build(view: DigestView, cap: number): ChatMessage {
  const s = view.summary;
  const who = (user: string) => clip(view.names?.get(user) ?? user, NAME_MAX);
  const period = `${when(view.periodStart, view.timeZone)} – ${when(view.periodEnd, view.timeZone)}`;
  const title = view.spaceDisplayName
    ? `Digest: ${clip(view.spaceDisplayName, NAME_MAX)}`
    : 'Digest';
  const activity =
    `${s.messages} message${s.messages === 1 ? '' : 's'} from ${s.people.length} ` +
    `${s.people.length === 1 ? 'person' : 'people'}; ${s.edited} edited, ${s.deleted} deleted, ` +
    `${s.reactions} reaction${s.reactions === 1 ? '' : 's'}`;

  const lists: [string, string[]][] = [
    ['Most active', listed(s.people, cap, (t) => `${who(t.name)}: ${t.count}`)],
    [
      'Busiest threads',
      listed(s.threads, cap, (t) => `${threadLabel(t.name)}: ${t.count} messages`),
    ],
    ['Joined', listed(s.joined, cap, who)],
    ['Left', listed(s.left, cap, who)],
    [
      'Commands used',
      listed(s.commands, cap, (t: Tally) => `${clip(t.name, NAME_MAX)}: ${t.count}`),
    ],
    [
      'Incidents',
      listed(s.incidents, cap, (i) => `${i.change}: ${clip(i.title ?? i.key, NAME_MAX)}`),
    ],
  ];
  const shown = lists.filter(([, lines]) => lines.length > 0);

  const card: ChatCardWithId = {
    cardId: 'digest',
    card: {
      header: { title, subtitle: `${period} (${view.timeZone})` },
      sections: [
        { widgets: [{ textParagraph: { text: escapeHtml(activity) } }] },
        ...shown.map(([header, lines]) => ({
          header,
          widgets: [{ textParagraph: { text: lines.map(escapeHtml).join('<br>') } }],
        })),
      ],
    },
  };
  const plain = [
    `${title}, ${period} (${view.timeZone})`,
    activity,
    ...shown.map(([header, lines]) => `${header}:\n${lines.map((l) => `- ${l}`).join('\n')}`),
  ].join('\n\n');
  return { text: `${title}: ${activity}.`, fallbackText: plain, cardsV2: [card] };
}

function listed<T>(items: readonly T[], cap: number, line: (item: T) => string): string[] {
  if (items.length === 0) return [];
  const lines = items.slice(0, cap).map(line);
  const rest = items.length - lines.length;
  if (rest > 0) lines.push(lines.length === 0 ? `${rest} in all` : `and ${rest} more`);
  return lines;
}

/** `spaces/A/threads/B` → `thread B`. */
function threadLabel(thread: string): string {
  return `thread ${clip(thread.split('/').at(-1) ?? thread, 40)}`;
}

function when(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat('ccc d LLL, HH:mm', { locale: 'en-GB' });
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
