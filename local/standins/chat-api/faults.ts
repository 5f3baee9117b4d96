/**
 * Fault injection for the Chat API stand-in: failed answers (before or after
 * the write is applied) and slow answers, each for a number of calls.
 */

/** A failure to inject into the next `count` matching calls. */
export interface InjectedFault {
  /** A method such as `messages.create`; every method when absent. */
  readonly method?: string;
  readonly status: number;
  readonly count: number;
  /** Sent as `Retry-After` when given. */
  readonly retryAfterSeconds?: number;
  /**
   * Apply the call, then answer with the failure: "the write happened but the
   * reply was lost". Default false: the call changes nothing.
   */
  readonly afterApply?: boolean;
}

/** A delay to add to the next `count` matching calls. */
export interface SlowFault {
  readonly method?: string;
  readonly delayMs: number;
  readonly count: number;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** Google's status name for an HTTP status. */
export function statusTextOf(status: number): string {
  return STATUS_TEXT[status] ?? 'UNKNOWN';
}

/** The pending faults; each match uses up one of its count. */
export class Faults {
  private failures: { fault: InjectedFault; left: number }[] = [];
  private delays: { fault: SlowFault; left: number }[] = [];

  inject(fault: InjectedFault): void {
    this.failures.push({ fault, left: fault.count });
  }

  slow(fault: SlowFault): void {
    this.delays.push({ fault, left: fault.count });
  }

  clear(): void {
    this.failures = [];
    this.delays = [];
  }

  /** Takes the next failure for `method`, if one is pending. */
  takeFailure(method: string): InjectedFault | undefined {
    return take(this.failures, method);
  }

  /** Takes the next delay for `method` in milliseconds (0 when none). */
  takeDelay(method: string): number {
    return take(this.delays, method)?.delayMs ?? 0;
  }
}

function take<T extends { readonly method?: string }>(
  list: { fault: T; left: number }[],
  method: string,
): T | undefined {
  const entry = list.find((e) => e.left > 0 && (e.fault.method ?? method) === method);
  if (!entry) return undefined;
  entry.left -= 1;
  return entry.fault;
}
