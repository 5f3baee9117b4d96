/**
 * The soak's checks, over what the stack holds at the end: the event log
 * (read back with its own `readAll`), the refused-input store, and the Chat
 * API stand-in's messages, spaces and record of calls.
 */
import type { Firestore } from '@google-cloud/firestore';
import { incidentSpaceName } from '../../shared/incidents/index.js';
import { logPages, type EventStore } from '../../shared/eventlog/index.js';
import { toRecord } from '../../shared/rejected.js';
import type { CallRecord, ChatApiStandIn } from '../standins/chat-api.js';
import type {
  ExpectedIncident,
  ExpectedMessage,
  ForgedStep,
  MalformedStep,
  Plan,
  ValidStep,
} from './plan.js';

/** Interactions in the log against the plan. */
export interface LogCheck {
  readonly expected: number;
  readonly found: number;
  readonly lost: string[];
  readonly doubled: number;
  readonly forgedRecorded: number;
  readonly unexpected: number;
  readonly events: number;
}

/** Reads the whole log and counts `InteractionReceived` by id. */
export async function checkLog(store: EventStore, plan: Plan): Promise<LogCheck> {
  const counts = new Map<string, number>();
  let events = 0;
  for await (const page of logPages(store, { pageSize: 500 })) {
    for (const event of page.events) {
      events += 1;
      if (event.type === 'InteractionReceived')
        counts.set(event.id, (counts.get(event.id) ?? 0) + 1);
    }
  }
  const steps = [...plan.setup, ...plan.main];
  const valid = new Set(
    steps.filter((s): s is ValidStep => s.role === 'setup' || s.role === 'valid').map((s) => s.id),
  );
  const forged = new Set(
    steps.filter((s): s is ForgedStep => s.role === 'forged').map((s) => s.id),
  );
  const lost = [...valid].filter((id) => !counts.has(id));
  let doubled = 0;
  let unexpected = 0;
  for (const [id, n] of counts) {
    if (n > 1) doubled += n - 1;
    if (!valid.has(id) && !forged.has(id)) unexpected += 1;
  }
  return {
    expected: valid.size,
    found: valid.size - lost.length,
    lost,
    doubled,
    forgedRecorded: [...forged].filter((id) => counts.has(id)).length,
    unexpected,
    events,
  };
}

/** Malformed bodies against the refused-input store. */
export interface MalformedCheck {
  readonly sent: number;
  readonly kept: number;
  /** Kept, but with another reason than the parser gives. */
  readonly wrongReason: number;
  readonly missing: number;
}

/** Looks every malformed body up in the `rejected` collection by its document id. */
export async function checkMalformed(db: Firestore, plan: Plan): Promise<MalformedCheck> {
  const steps = plan.main.filter((s): s is MalformedStep => s.role === 'malformed');
  const limits = { maxBytes: 65536, retentionDays: 1, clock: { now: () => new Date() } };
  let kept = 0;
  let wrongReason = 0;
  let missing = 0;
  const snapshot = await db.collection('rejected').get();
  const ids = new Set(snapshot.docs.map((doc) => doc.id));
  const byContent = new Map<string, { source: string; reason: string }[]>();
  for (const doc of snapshot.docs) {
    const data = doc.data() as { source: string; reason: string; content: string };
    const key = `${data.source}\n${data.content}`;
    byContent.set(key, [...(byContent.get(key) ?? []), data]);
  }
  for (const step of steps) {
    const { id } = toRecord(
      { source: step.source, reason: step.reason, content: step.content },
      limits,
    );
    if (ids.has(id)) {
      kept += 1;
      continue;
    }
    const found = byContent.get(`${step.source}\n${step.content.toString('utf8')}`);
    if (found !== undefined) wrongReason += 1;
    else missing += 1;
  }
  return { sent: steps.length, kept, wrongReason, missing };
}

/** Messages at Chat against what the app had to post. */
export interface ChatCheck {
  readonly expected: number;
  readonly posted: number;
  readonly lost: ExpectedMessage[];
  readonly doubled: number;
  readonly incidents: {
    readonly expected: number;
    readonly opened: number;
    readonly lost: number;
    readonly doubled: number;
  };
  readonly byPurpose: Record<string, number>;
  /** For a few lost messages: the calls Chat saw with their `requestId`, for the operator. */
  readonly lostSamples: string[];
}

/** Where an expected message should be, once the incident's space is known. */
export type Expectation =
  ExpectedMessage | (Omit<ExpectedMessage, 'space'> & { readonly incidentKey: string });

/** True when `calls` holds a successful create with this `requestId` (in `space`, when given). */
export function succeeded(
  calls: readonly CallRecord[],
  requestId: string,
  space?: string,
): boolean {
  return calls.some(
    (c) =>
      c.requestId === requestId && c.status === 200 && (space === undefined || c.space === space),
  );
}

/** Counts the app's messages per space and matches them against the expectations. */
export function checkChat(
  chat: ChatApiStandIn,
  expectations: readonly Expectation[],
  incidents: readonly ExpectedIncident[],
  soakSpaces: readonly string[],
): ChatCheck {
  const calls = chat.calls();
  const spaces = chat.spaces();
  const spaceOf = new Map<string, string[]>();
  for (const space of spaces) {
    if (space.name && space.displayName) {
      spaceOf.set(space.displayName, [...(spaceOf.get(space.displayName) ?? []), space.name]);
    }
  }
  let opened = 0;
  let lostIncidents = 0;
  let doubledIncidents = 0;
  const incidentSpace = new Map<string, string>();
  for (const incident of incidents) {
    const names = spaceOf.get(incidentSpaceName(incident.title, incident.key)) ?? [];
    if (names.length === 0) lostIncidents += 1;
    else opened += 1;
    if (names.length > 1) doubledIncidents += names.length - 1;
    if (names[0] !== undefined) incidentSpace.set(incident.key, names[0]);
  }

  const bySpace = new Map<string, Set<string>>();
  const lost: ExpectedMessage[] = [];
  const byPurpose: Record<string, number> = {};
  for (const e of expectations) {
    const space = 'space' in e ? e.space : incidentSpace.get(e.incidentKey);
    const message = {
      space: space ?? '(no incident space)',
      requestId: e.requestId,
      purpose: e.purpose,
    };
    if (space === undefined || !succeeded(calls, e.requestId, space)) {
      lost.push(message);
      continue;
    }
    byPurpose[e.purpose] = (byPurpose[e.purpose] ?? 0) + 1;
    bySpace.set(space, (bySpace.get(space) ?? new Set()).add(e.requestId));
  }

  // Every space the app posts in: the soak's and the incidents'.
  let doubled = 0;
  let posted = 0;
  for (const space of new Set([...soakSpaces, ...incidentSpace.values()])) {
    const mine = chat
      .messages(space)
      .filter((m) => m.sender?.name === chat.appUser && !m.deleteTime);
    posted += mine.length;
    doubled += Math.max(0, mine.length - (bySpace.get(space)?.size ?? 0));
  }
  const lostSamples = lost.slice(0, 5).map((m) => {
    const seen = calls.filter((c) => c.requestId === m.requestId);
    const statuses = seen.map((c) => `${c.status}${c.space === m.space ? '' : ' elsewhere'}`);
    return `${m.purpose} in ${m.space}: calls ${statuses.join(', ') || 'none'}`;
  });
  return {
    expected: expectations.length,
    posted,
    lost,
    lostSamples,
    doubled,
    incidents: {
      expected: incidents.length,
      opened,
      lost: lostIncidents,
      doubled: doubledIncidents,
    },
    byPurpose,
  };
}

/** Failed Chat calls against the calls that followed them. */
export interface RetryCheck {
  /** Calls answered 401, 408, 429 or 5xx. */
  readonly failedCalls: number;
  readonly byStatus: Record<string, number>;
  /** Of those, followed by a successful call of the same request. */
  readonly accounted: number;
  readonly unaccounted: number;
  /** For a few unaccounted calls: method, status and what followed, for the operator. */
  readonly unaccountedSamples: string[];
}

/**
 * Every failed call must be followed by a successful call of the same
 * request: same method and `requestId` (or path, for calls without one),
 * answered 2xx, or 409 for a membership that exists already.
 */
export function checkRetries(calls: readonly CallRecord[]): RetryCheck {
  const failed = (c: CallRecord) =>
    c.status === 401 || c.status === 408 || c.status === 429 || c.status >= 500;
  const ok = (c: CallRecord) =>
    (c.status >= 200 && c.status < 300) || (c.method === 'members.create' && c.status === 409);
  const key = (c: CallRecord) => `${c.method} ${c.requestId ?? c.path}`;
  const lastSuccess = new Map<string, number>();
  calls.forEach((c, i) => {
    if (ok(c)) lastSuccess.set(key(c), i);
  });
  const byStatus: Record<string, number> = {};
  let failedCalls = 0;
  let accounted = 0;
  const unaccountedSamples: string[] = [];
  calls.forEach((c, i) => {
    if (!failed(c)) return;
    failedCalls += 1;
    byStatus[String(c.status)] = (byStatus[String(c.status)] ?? 0) + 1;
    if ((lastSuccess.get(key(c)) ?? -1) > i) {
      accounted += 1;
      return;
    }
    if (unaccountedSamples.length < 5) {
      const after = calls.slice(i + 1).filter((d) => key(d) === key(c));
      const then = after.map((d) => d.status).join(', ') || 'nothing';
      unaccountedSamples.push(`${c.method} ${c.status} (${c.principal}), then ${then}`);
    }
  });
  return {
    failedCalls,
    byStatus,
    accounted,
    unaccounted: failedCalls - accounted,
    unaccountedSamples,
  };
}

/** The p-th percentile (0..100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}
