/**
 * Subscriptions of the Workspace Events stand-in and their lifecycle:
 * active, suspended, expired (deleted). Deliveries go through the injected
 * `publish`, in order per subscription; a failed delivery suspends the
 * subscription with `ENDPOINT_NOT_FOUND`, as Google does when its topic fails.
 */
import type { Clock } from '../../../shared/clock.js';
import { randomId } from '../chat-api/time.js';
import { cloudEvent, eventData, LIFECYCLE, type ChatEvent, type PubsubMessage } from './events.js';

/** Delivers one message to a Pub/Sub topic (`projects/P/topics/T`). */
export type Publish = (topic: string, message: PubsubMessage) => Promise<void>;

const HOUR = 3_600_000;
/** Chat's longest subscription: 4 hours with resource data, 7 days without. */
export const maxLifetimeMs = (includeResource: boolean): number =>
  includeResource ? 4 * HOUR : 7 * 24 * HOUR;
const REMINDERS_MS = [12 * HOUR, HOUR];

/** One subscription. */
export interface SubscriptionRecord {
  readonly id: string;
  readonly uid: string;
  readonly targetResource: string;
  readonly space: string;
  eventTypes: string[];
  includeResource: boolean;
  readonly pubsubTopic: string;
  state: 'ACTIVE' | 'SUSPENDED';
  suspensionReason?: string;
  /** Who authorized it: `users/{id}` or the app's user name. */
  readonly principal: string;
  readonly kind: 'app' | 'user';
  readonly serviceAccount?: string;
  readonly createTime: number;
  updateTime: number;
  expireTime: number;
  /** When the current lifetime began (creation or last renewal); reminders count from it. */
  renewedAt: number;
  reminded: Set<number>;
}

/** A subscription on the wire. */
export function subscriptionJson(sub: SubscriptionRecord) {
  return {
    name: `subscriptions/${sub.id}`,
    uid: sub.uid,
    targetResource: sub.targetResource,
    eventTypes: [...sub.eventTypes],
    payloadOptions: { includeResource: sub.includeResource },
    notificationEndpoint: { pubsubTopic: sub.pubsubTopic },
    state: sub.state,
    ...(sub.suspensionReason ? { suspensionReason: sub.suspensionReason } : {}),
    ...(sub.kind === 'user'
      ? { authority: sub.principal, userAuthority: sub.principal }
      : { serviceAccountAuthority: `serviceAccounts/${sub.serviceAccount ?? 'app'}` }),
    createTime: new Date(sub.createTime).toISOString(),
    updateTime: new Date(sub.updateTime).toISOString(),
    expireTime: new Date(sub.expireTime).toISOString(),
    reconciling: false,
    etag: `"${sub.updateTime.toString(36)}"`,
  };
}

/** The subscriptions and their deliveries. */
export class SubscriptionStore {
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly publish: Publish,
    private readonly clock: Clock,
  ) {}

  /** Adds a subscription that lives `lifetimeMs` from now. */
  add(
    input: Omit<
      SubscriptionRecord,
      'id' | 'uid' | 'state' | 'createTime' | 'updateTime' | 'expireTime' | 'renewedAt' | 'reminded'
    >,
    lifetimeMs: number,
  ): SubscriptionRecord {
    const now = this.clock.now().getTime();
    const sub: SubscriptionRecord = {
      ...input,
      id: randomId(24),
      uid: randomId(16),
      state: 'ACTIVE',
      createTime: now,
      updateTime: now,
      expireTime: now + lifetimeMs,
      renewedAt: now,
      reminded: new Set(),
    };
    this.subscriptions.set(sub.id, sub);
    return sub;
  }

  /** Moves the expiry to `lifetimeMs` from now and re-arms the reminders. */
  renew(sub: SubscriptionRecord, lifetimeMs: number): void {
    const now = this.clock.now().getTime();
    sub.expireTime = now + lifetimeMs;
    sub.renewedAt = now;
    sub.updateTime = now;
    sub.reminded = new Set();
  }

  /** Sends a Chat event to every active subscription on its space that asked for it. */
  deliver(space: string, event: ChatEvent): void {
    this.sweep();
    for (const sub of this.subscriptions.values()) {
      if (sub.state !== 'ACTIVE' || sub.space !== space) continue;
      const single = sub.eventTypes.includes(event.type);
      const batch = sub.eventTypes.includes(event.batchType);
      if (!single && !batch) continue;
      const type = single ? event.type : event.batchType;
      const data = eventData(event, sub.includeResource, !single);
      this.send(sub, cloudEvent(type, sourceOf(sub), event.subject, event.time, data));
    }
  }

  /** Sends a lifecycle event of a subscription. */
  lifecycle(sub: SubscriptionRecord, type: string): void {
    const data = { subscription: subscriptionJson(sub) };
    const time = this.clock.now().toISOString();
    this.send(sub, cloudEvent(type, sourceOf(sub), sourceOf(sub), time, data));
  }

  /** Suspends a subscription, telling its topic why. */
  suspend(sub: SubscriptionRecord, reason: string): void {
    sub.state = 'SUSPENDED';
    sub.suspensionReason = reason;
    sub.updateTime = this.clock.now().getTime();
    this.lifecycle(sub, LIFECYCLE.suspended);
  }

  /** Ends a subscription as expiry does: an `expired` event, then it is gone. */
  expire(sub: SubscriptionRecord): void {
    this.lifecycle(sub, LIFECYCLE.expired);
    this.subscriptions.delete(sub.id);
  }

  /** Sends due expiration reminders and expires what is past its time. */
  sweep(): void {
    const now = this.clock.now().getTime();
    for (const sub of [...this.subscriptions.values()]) {
      if (now >= sub.expireTime) {
        this.expire(sub);
        continue;
      }
      for (const before of REMINDERS_MS) {
        const at = sub.expireTime - before;
        if (at > sub.renewedAt && now >= at && !sub.reminded.has(before)) {
          sub.reminded.add(before);
          this.lifecycle(sub, LIFECYCLE.expirationReminder);
        }
      }
    }
  }

  /** Resolves once every delivery started so far has settled. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private send(sub: SubscriptionRecord, message: PubsubMessage): void {
    const previous = this.chains.get(sub.id) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        await this.publish(sub.pubsubTopic, message);
      } catch {
        if (this.subscriptions.get(sub.id) === sub && sub.state === 'ACTIVE') {
          sub.state = 'SUSPENDED';
          sub.suspensionReason = 'ENDPOINT_NOT_FOUND';
        }
      }
    });
    this.chains.set(sub.id, next);
    this.pending.add(next);
    void next.finally(() => this.pending.delete(next));
  }
}

function sourceOf(sub: SubscriptionRecord): string {
  return `//workspaceevents.googleapis.com/subscriptions/${sub.id}`;
}
