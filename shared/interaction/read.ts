/**
 * Safe readers over untyped JSON, and the normalisation both parsers share:
 * space, user, message, form inputs, parameters. A missing required field
 * is an `invalid-input` error whose reason names the field, never its value.
 */
import { invalidInput } from '../errors.js';
import type {
  ActionParameters,
  ChatSpaceRef,
  ChatUserRef,
  FormInputs,
  MessageRef,
  SpaceType,
} from './model.js';

/** A JSON object, or undefined. */
export type Json = Readonly<Record<string, unknown>>;

/** The value as an object, or undefined. */
export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

/** A non-empty string field, or undefined. */
export function str(value: Json | undefined, key: string): string | undefined {
  const v = value?.[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** An int64 id, which arrives as a JSON string (sometimes as a number). */
export function int64(value: Json | undefined, key: string): string | undefined {
  const v = value?.[key];
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return typeof v === 'string' && /^-?\d{1,20}$/.test(v) ? v : undefined;
}

/** Refuses the event: `reason` is a fixed code naming what is wrong. */
export function malformed(reason: string): never {
  throw invalidInput('Interaction event is malformed.', { reason });
}

/** The space, or a refusal when it has no name. */
export function readSpace(value: unknown): ChatSpaceRef {
  const space = obj(value);
  const name = str(space, 'name');
  if (name === undefined || !name.startsWith('spaces/')) malformed('missing-space');
  const displayName = str(space, 'displayName');
  return { name, type: spaceTypeOf(space), ...(displayName ? { displayName } : {}) };
}

// `spaceType` is current; `type` (ROOM, DM) and `singleUserBotDm` are older fields.
function spaceTypeOf(space: Json | undefined): SpaceType {
  const spaceType = str(space, 'spaceType');
  if (spaceType === 'SPACE' || spaceType === 'GROUP_CHAT' || spaceType === 'DIRECT_MESSAGE') {
    return spaceType;
  }
  if (str(space, 'type') === 'DM' || space?.singleUserBotDm === true) return 'DIRECT_MESSAGE';
  return 'SPACE';
}

/** The user, or a refusal when there is none. */
export function readUser(value: unknown): ChatUserRef {
  const user = obj(value);
  const name = str(user, 'name');
  if (name === undefined || !name.startsWith('users/')) malformed('missing-user');
  const displayName = str(user, 'displayName');
  const email = str(user, 'email');
  const type = str(user, 'type');
  return {
    name,
    ...(displayName ? { displayName } : {}),
    ...(email ? { email } : {}),
    ...(type ? { type } : {}),
  };
}

/** The message, when there is one with a name. */
export function readMessage(value: unknown): MessageRef | undefined {
  const message = obj(value);
  const name = str(message, 'name');
  if (name === undefined) return undefined;
  const threadName = str(obj(message?.thread), 'name');
  const text = typeof message?.text === 'string' ? message.text : undefined;
  const argumentText = typeof message?.argumentText === 'string' ? message.argumentText : undefined;
  return {
    name,
    ...(threadName ? { threadName } : {}),
    ...(text !== undefined ? { text } : {}),
    ...(argumentText !== undefined ? { argumentText } : {}),
  };
}

/** True when the message @mentions a Chat app (a `USER_MENTION` of a `BOT`). */
export function mentionsApp(value: unknown): boolean {
  const annotations = obj(value)?.annotations;
  if (!Array.isArray(annotations)) return false;
  return annotations.some((a: unknown) => {
    const annotation = obj(a);
    const user = obj(obj(annotation?.userMention)?.user);
    return str(annotation, 'type') === 'USER_MENTION' && str(user, 'type') === 'BOT';
  });
}

/**
 * Form inputs of `common.formInputs` / `commonEventObject.formInputs`:
 * string inputs as they are, dates as ms since epoch, times as `HH:MM`.
 */
export function readFormInputs(value: unknown): FormInputs {
  const inputs = obj(value);
  const out: Record<string, readonly string[]> = {};
  for (const [name, raw] of Object.entries(inputs ?? {})) {
    const input = obj(raw);
    const strings = obj(input?.stringInputs)?.value;
    const date = obj(input?.dateInput) ?? obj(input?.dateTimeInput);
    const time = obj(input?.timeInput);
    if (Array.isArray(strings)) {
      out[name] = strings.filter((s): s is string => typeof s === 'string');
    } else if (typeof date?.msSinceEpoch === 'string' || typeof date?.msSinceEpoch === 'number') {
      // int64 in proto JSON: a string, though some senders use a number.
      out[name] = [String(date.msSinceEpoch)];
    } else if (time !== undefined) {
      const pad = (n: unknown) => String(typeof n === 'number' ? n : 0).padStart(2, '0');
      out[name] = [`${pad(time.hours)}:${pad(time.minutes)}`];
    }
  }
  return out;
}

/** Action parameters: a `{key: value}` map, or the older `[{key, value}]` list. */
export function readParameters(...sources: unknown[]): ActionParameters {
  const out: Record<string, string> = {};
  for (const source of sources) {
    if (Array.isArray(source)) {
      for (const entry of source) {
        const key = str(obj(entry), 'key');
        const value = obj(entry)?.value;
        if (key !== undefined && typeof value === 'string') out[key] = value;
      }
    } else {
      for (const [key, value] of Object.entries(obj(source) ?? {})) {
        if (typeof value === 'string') out[key] = value;
      }
    }
  }
  return out;
}

/** An ISO 8601 event time, or a refusal. */
export function readEventTime(value: unknown): string {
  if (typeof value === 'string' && value.length <= 64 && !Number.isNaN(Date.parse(value))) {
    return value;
  }
  // The proto JSON of a Timestamp is a string; some clients send {seconds, nanos}.
  const seconds = obj(value)?.seconds;
  if (typeof seconds === 'number' || typeof seconds === 'string') {
    // Beyond ±8.64e15 ms a Date is invalid, and toISOString would throw.
    const date = new Date(Number(seconds) * 1000);
    if (!Number.isNaN(date.getTime())) return date.toISOString();
  }
  return malformed('missing-event-time');
}
