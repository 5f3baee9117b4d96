/**
 * The deterministic id of an interaction, derived from what Chat sent and
 * nothing of how it arrived: Chat's retries of a delivery carry the same
 * body, and the same interaction delivered over HTTP and over Pub/Sub has
 * the same JSON, so both map to one id and the log records it once.
 */
import { hash } from 'node:crypto';
import type { ActionParameters, FormInputs, Interaction } from './model.js';

/** What identifies one interaction. */
export interface IdentityParts {
  readonly kind: string;
  readonly spaceName: string;
  readonly userName: string;
  readonly eventTime: string;
  readonly messageName?: string;
  readonly commandId?: string;
  readonly action?: string;
  readonly phase?: string;
  readonly parameters?: ActionParameters;
  readonly formInputs?: FormInputs;
}

/** `ix-` and 32 hex digits of a SHA-256 over the parts in a fixed order. */
export function interactionId(parts: IdentityParts): string {
  const canonical = JSON.stringify([
    parts.kind,
    parts.spaceName,
    parts.userName,
    parts.eventTime,
    parts.messageName ?? null,
    parts.commandId ?? null,
    parts.action ?? null,
    parts.phase ?? null,
    sorted(parts.parameters),
    sorted(parts.formInputs),
  ]);
  return `ix-${hash('sha256', canonical, 'hex').slice(0, 32)}`;
}

function sorted<T>(record: Readonly<Record<string, T>> | undefined): [string, T][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** An interaction without its id yet, as the parsers build it. */
export type Unidentified<T extends { readonly id: string }> = T extends unknown
  ? Omit<T, 'id'>
  : never;

/** Gives a parsed interaction its id, computed from its own fields. */
export function identify<T extends Interaction>(fields: Unidentified<T>): T {
  const f = fields as Unidentified<Interaction> & Partial<Record<string, unknown>>;
  const id = interactionId({
    kind: f.kind,
    spaceName: f.space.name,
    userName: f.user.name,
    eventTime: f.eventTime,
    messageName: f.message?.name,
    commandId: typeof f.commandId === 'string' ? f.commandId : undefined,
    action: typeof f.action === 'string' ? f.action : undefined,
    phase: typeof f.phase === 'string' ? f.phase : undefined,
    parameters: f.parameters as ActionParameters | undefined,
    formInputs: f.formInputs as FormInputs | undefined,
  });
  return { id, ...fields } as unknown as T;
}
