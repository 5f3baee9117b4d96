/**
 * The Chat API's per-minute quotas, kept as sliding 60-second windows over
 * the injected clock. A refused request does not count.
 */
import type { Clock } from '../../../shared/clock.js';
import type { ChatMethod } from './scopes.js';

/** Requests a minute; defaults are Chat's published quotas. */
export interface ChatLimits {
  /** Writes per space, shared by all apps and webhooks (60). */
  readonly perSpaceWritesPerMinute: number;
  /** Reads per space (900). */
  readonly perSpaceReadsPerMinute: number;
  /** Message creates, updates, deletes and reactions per project (3,000). */
  readonly perProjectMessageWritesPerMinute: number;
  /** Message gets and lists per project (3,000). */
  readonly perProjectMessageReadsPerMinute: number;
  /** Membership writes per project (300). */
  readonly perProjectMembershipWritesPerMinute: number;
  /** Space creates and set-ups per project (60). */
  readonly perProjectSpaceWritesPerMinute: number;
}

/** Chat's published quotas. */
export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  perSpaceWritesPerMinute: 60,
  perSpaceReadsPerMinute: 900,
  perProjectMessageWritesPerMinute: 3000,
  perProjectMessageReadsPerMinute: 3000,
  perProjectMembershipWritesPerMinute: 300,
  perProjectSpaceWritesPerMinute: 60,
};

const WINDOW_MS = 60_000;

type Bucket = { readonly key: string; readonly limit: number; readonly quota: string };

function bucketsOf(
  method: ChatMethod,
  space: string | undefined,
  webhook: boolean,
  limits: ChatLimits,
): Bucket[] {
  const buckets: Bucket[] = [];
  const spaceBucket = (kind: 'writes' | 'reads') =>
    space === undefined
      ? undefined
      : kind === 'writes'
        ? {
            key: `w ${space}`,
            limit: limits.perSpaceWritesPerMinute,
            quota: 'Write requests per minute per space',
          }
        : {
            key: `r ${space}`,
            limit: limits.perSpaceReadsPerMinute,
            quota: 'Read requests per minute per space',
          };
  const add = (bucket: Bucket | undefined) => bucket && buckets.push(bucket);

  switch (method) {
    case 'messages.create':
    case 'messages.patch':
    case 'messages.delete':
    case 'reactions.create':
      add(spaceBucket('writes'));
      if (!webhook) {
        add({
          key: 'pmw',
          limit: limits.perProjectMessageWritesPerMinute,
          quota: 'Message write requests per minute per project',
        });
      }
      break;
    case 'members.create':
      add(spaceBucket('writes'));
      add({
        key: 'pbw',
        limit: limits.perProjectMembershipWritesPerMinute,
        quota: 'Membership write requests per minute per project',
      });
      break;
    case 'spaces.create':
    case 'spaces.setup':
      add({
        key: 'psw',
        limit: limits.perProjectSpaceWritesPerMinute,
        quota: 'Space write requests per minute per project',
      });
      break;
    case 'messages.get':
    case 'messages.list':
      add(spaceBucket('reads'));
      add({
        key: 'pmr',
        limit: limits.perProjectMessageReadsPerMinute,
        quota: 'Message read requests per minute per project',
      });
      break;
    case 'spaces.get':
    case 'members.list':
      add(spaceBucket('reads'));
      break;
    case 'spaces.list':
    case 'spaces.findDirectMessage':
      break;
  }
  return buckets;
}

/** A refusal: which quota, and when to retry. */
export interface QuotaRefusal {
  readonly quota: string;
  readonly retryAfterSeconds: number;
}

/** Sliding-window counters for every quota. */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(
    private readonly limits: ChatLimits,
    private readonly clock: Clock,
  ) {}

  /** Counts the request, or refuses it without counting. */
  take(method: ChatMethod, space: string | undefined, webhook: boolean): QuotaRefusal | undefined {
    const now = this.clock.now().getTime();
    const buckets = bucketsOf(method, space, webhook, this.limits);
    for (const bucket of buckets) {
      const window = this.window(bucket.key, now);
      const oldest = window[0];
      if (window.length >= bucket.limit && oldest !== undefined) {
        const wait = Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000));
        return { quota: bucket.quota, retryAfterSeconds: wait };
      }
    }
    for (const bucket of buckets) this.window(bucket.key, now).push(now);
    return undefined;
  }

  private window(key: string, now: number): number[] {
    let window = this.windows.get(key);
    if (!window) {
      window = [];
      this.windows.set(key, window);
    }
    let drop = 0;
    while (drop < window.length && (window[drop] ?? 0) <= now - WINDOW_MS) drop++;
    if (drop > 0) window.splice(0, drop);
    return window;
  }
}
