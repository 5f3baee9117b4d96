/**
 * The soak's verdict: every check in one object, the list of what failed,
 * and the one-line JSON summary `npm run soak` prints last.
 */
import type { ChatCheck, LogCheck, MalformedCheck, RetryCheck } from './checks.js';
import { percentile } from './checks.js';
import type { DriverRecord } from './driver.js';
import type { FaultLog } from './faults.js';
import { scanForLeaks, type LeakReport } from './leaks.js';
import type { SoakOptions } from './options.js';
import type { Plan } from './plan.js';

/** The summary line's object. */
export interface SoakLine {
  readonly soak: {
    readonly interactions: number;
    readonly spaces: number;
    readonly seed: number;
    readonly concurrency: number;
    readonly durationSec: number;
    /** Of which delivering (setup and main run); the rest is start, settling and checks. */
    readonly deliverySec: number;
  };
  readonly lost: number;
  readonly doubled: number;
  readonly leaked: number;
  readonly malformedKept: number;
  readonly malformedSent: number;
  readonly forgedRefused: number;
  readonly forgedSent: number;
  readonly throughputPerSec: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly [detail: string]: unknown;
}

/** The full report. */
export interface SoakReport {
  readonly line: SoakLine;
  /** What failed, one sentence each; empty when the soak passed. */
  readonly failures: readonly string[];
  readonly leaks: LeakReport;
}

/** Lines in which a store said a refused input could not be kept (Firestore down). */
const NOT_KEPT = 'A refused input could not be kept.';
const KEY_REFUSED = 'Token endpoint refused the service-account key';

/** Builds the report from every check. */
export function buildReport(input: {
  readonly options: SoakOptions;
  readonly plan: Plan;
  readonly driver: DriverRecord;
  readonly faults: FaultLog;
  readonly log: LogCheck;
  readonly malformed: MalformedCheck;
  readonly chat: ChatCheck;
  readonly retries: RetryCheck;
  readonly lines: readonly string[];
  readonly secrets: readonly string[];
  readonly words: ReadonlySet<string>;
  readonly driveMs: number;
  readonly totalMs: number;
  readonly settledInTime: boolean;
  readonly ticks: number;
}): SoakReport {
  const { log, malformed, chat, retries, driver, faults } = input;
  const leaks = scanForLeaks(input.lines, {
    tokens: driver.tokens,
    privateKeys: faults.privateKeys,
    secrets: input.secrets,
    words: input.words,
  });
  const leaked = Object.values(leaks.byKind).reduce((a, b) => a + b, 0);
  const notKept = input.lines.filter((l) => l.includes(NOT_KEPT)).length;
  const keyRefusals = input.lines.filter((l) => l.includes(KEY_REFUSED)).length;
  const forgedSent = input.plan.main.filter((s) => s.role === 'forged').length;
  const forgedRefused = driver.forgedStatus.get(401) ?? 0;
  const unexplainedMalformed = Math.max(0, malformed.missing - notKept);

  const lost = log.lost.length + chat.lost.length + chat.incidents.lost + driver.unanswered.length;
  const doubled = log.doubled + chat.doubled + chat.incidents.doubled;
  const failures: string[] = [];
  const fail = (n: number, what: string) => {
    if (n > 0) failures.push(`${n} ${what}`);
  };
  fail(log.lost.length, 'valid interactions missing from the event log');
  fail(log.doubled, 'interactions recorded more than once');
  fail(driver.unanswered.length, 'valid HTTP interactions never answered 200');
  fail(chat.lost.length, `expected messages not posted at Chat (${purposesOf(chat)})`);
  failures.push(...chat.lostSamples.map((m) => `  lost: ${m}`));
  fail(chat.doubled, 'messages at Chat beyond the expected ones');
  fail(chat.incidents.lost, 'incidents without a space');
  fail(chat.incidents.doubled, 'incident spaces made twice');
  fail(unexplainedMalformed, 'malformed bodies not kept in the refused-input store');
  fail(malformed.wrongReason, 'malformed bodies kept with another reason than expected');
  fail(forgedSent - forgedRefused, 'forged tokens not refused with 401');
  fail(log.forgedRecorded, 'interactions under forged tokens recorded');
  fail(log.unexpected, 'interactions in the log the soak never sent');
  fail(retries.unaccounted, 'failed Chat calls never followed by a successful retry');
  failures.push(...retries.unaccountedSamples.map((m) => `  unaccounted: ${m}`));
  fail(leaked, `log lines holding a token, key, secret or message text (${kindsOf(leaks)})`);
  if (input.lines.length === 0) failures.push('no log line was captured, so none was scanned');
  fail(faults.errors.length, `fault actions failed: ${faults.errors.join('; ')}`);
  if (faults.rotatedAt !== undefined && keyRefusals === 0) {
    failures.push('the token endpoint never refused the rotated-out key (rotation not exercised)');
  }
  if (!input.settledInTime)
    failures.push('the asynchronous work did not finish within --settle-seconds');

  const line: SoakLine = {
    soak: {
      interactions: input.options.interactions,
      spaces: input.options.spaces,
      seed: input.options.seed,
      concurrency: input.options.concurrency,
      durationSec: Math.round(input.totalMs / 1000),
      deliverySec: Math.round(input.driveMs / 1000),
    },
    lost,
    doubled,
    leaked,
    malformedKept: malformed.kept,
    malformedSent: malformed.sent,
    forgedRefused,
    forgedSent,
    throughputPerSec: round(
      (input.plan.setup.length + input.plan.main.length) / (input.driveMs / 1000),
    ),
    p50Ms: round(percentile(driver.latenciesMs, 50)),
    p95Ms: round(percentile(driver.latenciesMs, 95)),
    p99Ms: round(percentile(driver.latenciesMs, 99)),
    interactionsInLog: log.found,
    eventsInLog: log.events,
    messagesAtChat: { expected: chat.expected, posted: chat.posted, byPurpose: chat.byPurpose },
    incidents: chat.incidents,
    retries: {
      failedChatCalls: retries.failedCalls,
      byStatus: retries.byStatus,
      accounted: retries.accounted,
    },
    injected: faults.injected,
    redeliveries: driver.redeliveries,
    firestoreOutageMs: faults.outage ? faults.outage.to - faults.outage.from : null,
    refusedInputsNotKept: notKept,
    keyRefusals,
    ticks: input.ticks,
    linesScanned: leaks.linesScanned,
    ok: failures.length === 0,
  };
  return { line, failures, leaks };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function purposesOf(chat: ChatCheck): string {
  const counts: Record<string, number> = {};
  for (const m of chat.lost) counts[m.purpose] = (counts[m.purpose] ?? 0) + 1;
  return Object.entries(counts)
    .map(([p, n]) => `${p} ${n}`)
    .join(', ');
}

function kindsOf(leaks: LeakReport): string {
  return Object.entries(leaks.byKind)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
}
