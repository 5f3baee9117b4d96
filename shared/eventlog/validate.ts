/**
 * Validation on append: the envelope (id, stream, time, actor), the type's
 * stream kind and its payload schema. A refusal is an `invalid-input`
 * SpacelogError naming the type and the failing field path, never the value.
 */
import * as v from 'valibot';
import { SpacelogError } from '../errors.js';
import { definitionOf } from './catalogue.js';
import { isoTime, TEXT_FIELDS } from './define.js';
import { streamKindOf } from './streams.js';
import type { NewEvent } from './types.js';

/** Longest event id accepted; ids are keys of their source, not content. */
export const MAX_EVENT_ID_LENGTH = 1024;

const ENVELOPE = v.object({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_EVENT_ID_LENGTH)),
  stream: v.string(),
  type: v.string(),
  occurredAt: isoTime(),
  causedBy: v.variant('kind', [
    v.strictObject({ kind: v.literal('user'), id: v.pipe(v.string(), v.minLength(1)) }),
    v.strictObject({ kind: v.literal('app') }),
    v.strictObject({ kind: v.literal('system'), id: v.pipe(v.string(), v.minLength(1)) }),
  ]),
  payload: v.unknown(),
});

/** A new event that passed validation, ready to be written. */
export interface ValidEvent {
  readonly event: NewEvent;
  readonly schemaVersion: number;
}

/**
 * Checks a new event against the catalogue and returns it normalised: text
 * fields dropped unless `storeMessageText`, undefined fields removed, unknown
 * fields refused.
 */
export function validateNewEvent(
  event: NewEvent,
  options: { readonly storeMessageText: boolean },
): ValidEvent {
  const type = typeof event?.type === 'string' ? event.type : '(none)';
  const envelope = v.safeParse(ENVELOPE, event);
  if (!envelope.success) throw refusal(type, '', envelope.issues[0]);

  const definition = definitionOf(event.type);
  if (definition === undefined) {
    throw new SpacelogError('invalid-input', `Event type ${type} is not in the catalogue.`, {
      eventType: type,
      field: 'type',
    });
  }
  const kind = streamKindOf(event.stream);
  if (kind === undefined || !definition.streams.includes(kind)) {
    throw new SpacelogError('invalid-input', `Event ${type} refused: stream is not of its kind.`, {
      eventType: type,
      field: 'stream',
    });
  }

  const payload = options.storeMessageText ? event.payload : withoutText(event.payload);
  const parsed = v.safeParse(definition.schema, payload);
  if (!parsed.success) throw refusal(type, 'payload', parsed.issues[0]);

  const normalised: NewEvent = {
    id: event.id,
    stream: event.stream,
    type: event.type,
    occurredAt: event.occurredAt,
    causedBy: { ...event.causedBy },
    payload: dropUndefined(parsed.output),
  };
  return { event: normalised, schemaVersion: definition.schemaVersion };
}

function refusal(
  type: string,
  root: string,
  issue: v.BaseIssue<unknown> | undefined,
): SpacelogError {
  const path = [root, v.getDotPath(issue ?? ({} as v.BaseIssue<unknown>))]
    .filter((p) => p !== null && p !== '')
    .join('.');
  const field = path === '' ? root || '(event)' : path;
  // `issue.message` and `issue.received` quote the value; only the check's name and
  // what the schema expects are safe to report.
  const check = issue?.type ?? 'unknown';
  const expected = issue?.expected ? ` (expected ${issue.expected})` : '';
  return new SpacelogError(
    'invalid-input',
    `Event ${type} refused: ${field} failed ${check}${expected}.`,
    {
      eventType: type,
      field,
      check,
    },
  );
}

function withoutText(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    if (!TEXT_FIELDS.includes(key)) copy[key] = value;
  }
  return copy;
}

function dropUndefined(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
