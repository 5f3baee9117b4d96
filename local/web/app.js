// The page that plays Google Chat. It keeps the Chat API stand-in's spaces,
// members and messages (live over Server-Sent Events), sends what the person
// does to the page's server, which signs and delivers interaction events, and
// shows the event log as it grows. No token ever reaches this page.
import { el, renderCards } from './cards.js';
import {
  renderHead,
  renderLast,
  renderLog,
  renderSpaces,
  renderTimeline,
  renderWho,
} from './view.js';

const $ = (id) => document.getElementById(id);

const state = {
  info: undefined,
  appUser: 'users/app',
  spaces: new Map(),
  unread: new Set(),
  me: undefined,
  current: undefined,
  /** Per space: what only one person sees (sign-in prompts, notices). */
  ephemeral: new Map(),
  log: [],
  logged: new Set(),
};

const format = () => document.querySelector('input[name="format"]:checked')?.value ?? 'classic';

async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(answer?.error?.message ?? `HTTP ${res.status}`);
  return answer;
}

const handlers = {
  select(space) {
    state.current = space;
    state.unread.delete(space);
    render();
  },
  click(space, message, action) {
    const label = `Click ${action.parameters.actionName ?? action.function}`;
    return act(label, space.name, '/api/click', { message: message?.name, action });
  },
  dialog(space, card) {
    $('dialog-body').replaceChildren(
      renderCards([{ card }], {
        onAction: (action) => {
          $('dialog').close();
          void act('Dialog action', space.name, '/api/click', { action });
        },
      }),
    );
    $('dialog').showModal();
  },
};

function render() {
  renderSpaces(state, handlers);
  renderHead(state);
  renderTimeline(state, handlers);
}

function note(space, fields) {
  if (!space) return;
  const list = state.ephemeral.get(space) ?? [];
  list.push({ at: new Date().toISOString(), user: state.me, ...fields });
  state.ephemeral.set(space, list);
  if (space === state.current) renderTimeline(state, handlers);
}

async function act(label, space, path, body) {
  try {
    const result = await post(path, {
      space,
      user: state.me,
      format: format(),
      viaPubsub: $('via-pubsub').checked,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      ...body,
    });
    renderLast(result, label);
    if (result.signIn) note(space, { signIn: result.signIn });
    if (result.notice) note(space, { text: result.notice });
    if (result.dialog) handlers.dialog(state.spaces.get(space), result.dialog);
  } catch (error) {
    note(space, { text: `${label} failed: ${error.message}` });
  }
}

// Live updates: Chat's changes, new log entries, and sign-ins completed.
function connect() {
  const source = new EventSource('/api/stream');
  const on = (kind, apply) =>
    source.addEventListener(kind, (e) => {
      apply(JSON.parse(e.data));
    });
  on('space', (change) => {
    if (!state.spaces.has(change.space)) {
      state.spaces.set(change.space, { ...change.resource, members: [], messages: [] });
    }
    render();
  });
  on('membership', (change) => {
    const space = state.spaces.get(change.space);
    if (!space) return;
    const name = change.membership.member?.name;
    space.members = space.members.filter((m) => m.member?.name !== name);
    if (change.type === 'created') space.members.push(change.membership);
    render();
  });
  on('message', (change) => {
    const space = state.spaces.get(change.space);
    if (!space) return;
    const at = space.messages.findIndex((m) => m.name === change.message.name);
    if (at >= 0) space.messages[at] = change.message;
    else space.messages.push(change.message);
    if (change.space === state.current) renderTimeline(state, handlers);
    else {
      state.unread.add(change.space);
      renderSpaces(state, handlers);
    }
  });
  // The stream starts with the newest entries; a reconnection repeats them.
  on('log', (event) => {
    if (state.logged.has(event.id)) return;
    state.logged.add(event.id);
    state.log.push(event);
    renderLog(state);
  });
  on('notice', (notice) => {
    if (notice.kind === 'config-complete') {
      note(state.current, { text: 'Configuration complete: you are signed in to Spacelog.' });
    }
  });
}

function wire() {
  $('who').addEventListener('change', (e) => {
    state.me = e.target.value;
    render();
  });
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('message-input');
    const text = input.value.trim();
    if (!text || !state.current) return;
    input.value = '';
    void act(`Message "${text.slice(0, 40)}"`, state.current, '/api/message', { text });
  });
  $('add-app').addEventListener('click', () =>
    act('Add Spacelog', state.current, '/api/add-app', {}),
  );
  $('remove-app').addEventListener('click', () =>
    act('Remove Spacelog', state.current, '/api/remove-app', {}),
  );
  $('run-digests').addEventListener('click', async () => {
    // The open space asks for its digest as a person would (/digest now); the
    // scheduler's tick then posts every digest that is due and renews subscriptions.
    if (state.current) {
      await act('Digest now', state.current, '/api/message', { text: '/digest now' });
    }
    const { messageId } = await post('/api/digest-now', {});
    note(state.current, {
      text: `Published Cloud Scheduler's tick (message ${messageId}): every space whose digest time has passed gets its digest.`,
    });
  });
  $('fire-alert').addEventListener('click', async () => {
    const { messageId } = await post('/api/alert', {});
    note(state.current, { text: `Published a Cloud Monitoring alert (message ${messageId}).` });
  });
}

async function start() {
  const snapshot = await (await fetch('/api/state')).json();
  state.info = snapshot;
  state.appUser = snapshot.appUser;
  for (const space of snapshot.spaces) state.spaces.set(space.name, space);
  state.me = snapshot.people[0]?.name;
  $('mode').textContent = `${snapshot.mode}; Chat signs with ${snapshot.audienceKind} tokens.`;
  $('commands').replaceChildren(
    ...snapshot.commands.map((c) => Object.assign(el('option'), { value: c.name })),
  );
  renderWho(state);
  render();
  renderLog(state);
  connect();
  wire();
  document.body.dataset.ready = 'true';
}

void start();
