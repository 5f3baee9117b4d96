// Rendering of the page from its state: the people one can be, the spaces
// and their members, the timeline (messages and what only this person sees),
// the event log and the last interaction. Actions come in as `handlers`.
import { el, messageText, renderCards } from './cards.js';

const $ = (id) => document.getElementById(id);

const memberNames = (space) => (space.members ?? []).map((m) => m.member?.name);

/** Whether the app is a member of `space`. */
export const appIsMember = (state, space) => memberNames(space).includes(state.appUser);

/** A space's name as the list shows it. */
export function spaceLabel(space) {
  if (space.spaceType === 'DIRECT_MESSAGE') return 'Spacelog (direct message)';
  return space.displayName || space.name;
}

function personName(state, name) {
  if (name === state.appUser) return 'Spacelog';
  return state.info.people.find((p) => p.name === name)?.displayName ?? name;
}

/** The "You are" choice. */
export function renderWho(state) {
  $('who').replaceChildren(
    ...state.info.people.map((p) => {
      const option = el('option', '', p.displayName);
      option.value = p.name;
      option.selected = p.name === state.me;
      return option;
    }),
  );
}

/** The spaces the person is in; picks the first when the current one is not among them. */
export function renderSpaces(state, handlers) {
  const spaces = [...state.spaces.values()].filter((s) => memberNames(s).includes(state.me));
  if (!spaces.some((s) => s.name === state.current)) state.current = spaces[0]?.name;
  $('space-list').replaceChildren(
    ...spaces.map((space) => {
      const link = el('button', 'space-link', spaceLabel(space));
      link.type = 'button';
      link.dataset.space = space.name;
      if (state.unread.has(space.name)) link.classList.add('unread');
      if (appIsMember(state, space)) link.append(el('span', 'badge', 'app'));
      link.addEventListener('click', () => handlers.select(space.name));
      return el('li', space.name === state.current ? 'active' : '', link);
    }),
  );
}

/** The current space's title, members and the add or remove button. */
export function renderHead(state) {
  const space = state.spaces.get(state.current);
  $('space-title').textContent = space ? spaceLabel(space) : 'No space';
  $('member-list').replaceChildren(
    ...(space?.members ?? []).map((m) => {
      const name = m.member?.name;
      const chip = el(
        'li',
        name === state.appUser ? 'member app' : 'member',
        personName(state, name),
      );
      chip.dataset.member = name;
      return chip;
    }),
  );
  const inSpace = space ? appIsMember(state, space) : false;
  $('add-app').hidden = !space || inSpace;
  $('remove-app').hidden = !space || !inSpace;
}

function messageItem(state, space, message, handlers) {
  const isApp = message.sender?.type === 'BOT';
  const item = el('li', `message ${isApp ? 'from-app' : 'from-person'}`);
  item.dataset.message = message.name;
  const when = message.createTime ? new Date(message.createTime).toLocaleTimeString() : '';
  item.append(
    el(
      'div',
      'message-head',
      el('span', 'sender', isApp ? 'Spacelog' : personName(state, message.sender?.name)),
      isApp ? el('span', 'tag', 'App') : undefined,
      el('time', '', when),
      message.privateMessageViewer ? el('span', 'private', 'Only visible to you') : undefined,
      message.threadReply ? el('span', 'thread', 'in thread') : undefined,
      message.lastUpdateTime ? el('span', 'edited', 'edited') : undefined,
    ),
  );
  if (message.deleteTime) {
    item.append(el('div', 'deleted', 'Message deleted'));
    return item;
  }
  if (message.text) item.append(el('div', 'message-body', messageText(message.text)));
  if (message.cardsV2?.length) {
    item.append(
      renderCards(message.cardsV2, {
        onAction: (action) => handlers.click(space, message, action),
        onDialog: (card) => handlers.dialog(space, card),
      }),
    );
  }
  return item;
}

function ephemeralItem(note) {
  const item = el(
    'li',
    'message from-app ephemeral',
    el(
      'div',
      'message-head',
      el('span', 'sender', 'Spacelog'),
      el('span', 'private', 'Only visible to you'),
    ),
  );
  if (note.signIn) {
    const link = el('a', 'card-button sign-in', 'Configure');
    link.href = note.signIn.url;
    link.target = '_blank';
    link.rel = 'opener';
    const text = el('div', 'w-text', 'Spacelog needs your permission to continue.');
    item.append(el('div', 'card', el('div', 'card-section', text, el('div', 'w-buttons', link))));
  }
  if (note.text) item.append(el('div', 'notice', note.text));
  return item;
}

/** The current space's messages, with what only this person sees, oldest first. */
export function renderTimeline(state, handlers) {
  const space = state.spaces.get(state.current);
  const list = $('timeline');
  if (!space) {
    list.replaceChildren(el('li', 'hint', 'You are in no space.'));
    return;
  }
  const items = (space.messages ?? [])
    .filter((m) => !m.privateMessageViewer || m.privateMessageViewer.name === state.me)
    .map((m) => ({ at: m.createTime ?? '', node: messageItem(state, space, m, handlers) }));
  for (const note of state.ephemeral.get(space.name) ?? []) {
    if (note.user === state.me) items.push({ at: note.at, node: ephemeralItem(note) });
  }
  items.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
  list.replaceChildren(...items.map((i) => i.node));
  if (items.length === 0) list.append(el('li', 'hint', 'No messages yet.'));
  if (stick) list.scrollTop = list.scrollHeight;
}

/** The event log, newest first. */
export function renderLog(state) {
  $('log-count').textContent = state.log.length ? `(${state.log.length})` : '';
  if (!state.info.logReadable) {
    $('event-log').replaceChildren(
      el(
        'li',
        'hint',
        'The in-memory log lives inside the functions and cannot be read from here.',
      ),
    );
    return;
  }
  $('event-log').replaceChildren(
    ...state.log
      .slice(-200)
      .reverse()
      .map((e) => {
        const summary = el(
          'summary',
          '',
          el('span', 'log-type', e.type),
          el('span', 'log-stream', `${e.stream} v${e.version}`),
          el('time', '', new Date(e.recordedAt ?? e.occurredAt).toLocaleTimeString()),
        );
        const body = JSON.stringify({ causedBy: e.causedBy, payload: e.payload }, null, 2);
        const item = el('li', 'log-entry', el('details', '', summary, el('pre', '', body)));
        item.dataset.type = e.type;
        return item;
      }),
  );
}

const json = (title, value) =>
  el('details', '', el('summary', '', title), el('pre', '', JSON.stringify(value, null, 2)));

/** What was sent last, how it went and what Chat did with the answer. */
export function renderLast(result, label) {
  const how =
    result.delivered === 'pubsub' ? `Pub/Sub message ${result.messageId}` : `HTTP ${result.status}`;
  $('last-interaction').replaceChildren(
    el('div', 'last-line', el('b', '', label), ` → ${how}`),
    result.outcome ? el('div', 'last-line', `Chat did: ${result.outcome}`) : '',
    result.notice ? el('div', 'last-line warn', result.notice) : '',
    json('Event sent', result.event),
    result.reply ? json('Answer', result.reply) : '',
  );
}
