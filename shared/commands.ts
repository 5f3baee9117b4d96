/**
 * Spacelog's own commands: requests to do something, named in the
 * imperative, carried by Pub/Sub to the function that does it. Each has a
 * shape, a validator for the receiving side, and the message that carries
 * it (with the `spacelog-command` attribute telling commands apart).
 */
import * as v from 'valibot';
import { invalidInput } from './errors.js';
import { COMMAND_ATTRIBUTE, type OutgoingMessage } from './pubsub.js';

/** Value of the `spacelog-command` attribute on an `OpenIncident` message. */
export const OPEN_INCIDENT = 'open-incident';

const resourceName = () => v.pipe(v.string(), v.minLength(1), v.maxLength(512));

const OpenIncidentSchema = v.strictObject({
  command: v.literal('OpenIncident'),
  /**
   * Deterministic key of the request (derived from the interaction id): a
   * repeated delivery opens no second incident.
   */
  incidentKey: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,128}$/)),
  /** What the user typed after `/incident`; content, never logged. */
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  /** `users/ID` of who asked. */
  requestedBy: resourceName(),
  /** `spaces/ID` the request came from, where progress is reported. */
  originSpace: resourceName(),
  /** The format of the interaction that asked, so replies can match it. */
  format: v.picklist(['classic', 'add-on']),
  /** Extra responders named by the request (`users/ID` or emails). */
  responders: v.optional(v.array(resourceName())),
});

/** Open an incident space for `title`, add the responders and report back to `originSpace`. */
export type OpenIncident = v.InferOutput<typeof OpenIncidentSchema>;

/** The Pub/Sub message carrying an `OpenIncident` command. */
export function openIncidentMessage(command: OpenIncident): OutgoingMessage {
  return {
    data: v.parse(OpenIncidentSchema, command),
    attributes: { [COMMAND_ATTRIBUTE]: OPEN_INCIDENT },
  };
}

/**
 * Reads an `OpenIncident` from a message's decoded data; `invalid-input`
 * (naming the field, not the value) when it is not one.
 */
export function parseOpenIncident(data: unknown): OpenIncident {
  const result = v.safeParse(OpenIncidentSchema, data);
  if (result.success) return result.output;
  const field = result.issues[0]?.path?.map((p) => String(p.key)).join('.') ?? '';
  throw invalidInput('OpenIncident command is malformed.', { command: 'OpenIncident', field });
}

/** Value of the `spacelog-command` attribute on a `PostDigest` message. */
export const POST_DIGEST = 'post-digest';

const PostDigestSchema = v.strictObject({
  command: v.literal('PostDigest'),
  /** `spaces/ID` whose digest is due. */
  space: v.pipe(v.string(), v.regex(/^spaces\/[\w-]{1,200}$/)),
  /** End of the period the digest covers: the scheduled due time (ISO 8601, UTC). */
  periodEnd: v.pipe(
    v.string(),
    v.isoTimestamp(),
    v.check((s) => !Number.isNaN(Date.parse(s))),
  ),
  /** Deterministic identity of the job (space + period): repeats of one job share it. */
  jobId: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  /**
   * Asked for with `/digest now` rather than due: `periodEnd` is when it was
   * asked, and the digest is posted whatever the schedule says.
   */
  onDemand: v.optional(v.literal(true)),
});

/** Post the digest of `space` for the period ending at `periodEnd`, once. */
export type PostDigest = v.InferOutput<typeof PostDigestSchema>;

/** The Pub/Sub message carrying a `PostDigest` command. */
export function postDigestMessage(command: PostDigest): OutgoingMessage {
  return {
    data: v.parse(PostDigestSchema, command),
    attributes: { [COMMAND_ATTRIBUTE]: POST_DIGEST, 'spacelog-job': command.jobId },
  };
}

/**
 * Reads a `PostDigest` from a message's decoded data; `invalid-input`
 * (naming the field, not the value) when it is not one.
 */
export function parsePostDigest(data: unknown): PostDigest {
  const result = v.safeParse(PostDigestSchema, data);
  if (result.success) return result.output;
  const field = result.issues[0]?.path?.map((p) => String(p.key)).join('.') ?? '';
  throw invalidInput('PostDigest command is malformed.', { command: 'PostDigest', field });
}

/** Value of the `spacelog-command` attribute on a `WatchSpace` message. */
export const WATCH_SPACE = 'watch-space';

const WatchSpaceSchema = v.strictObject({
  command: v.literal('WatchSpace'),
  /** `spaces/ID` the app joined (`watch: true`) or left (`watch: false`). */
  space: v.pipe(v.string(), v.regex(/^spaces\/[\w-]{1,200}$/)),
  watch: v.boolean(),
  /**
   * Id of the interaction that added or removed the app: the command is done
   * once per cause, however often it is published or delivered.
   */
  cause: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(256))),
});

/**
 * Subscribe to a space's Workspace Events (the app joined it), or delete the
 * subscription (the app left). Published on the alerts topic (the commands
 * topic `chatEvents` may publish to) by the handlers of joining and leaving,
 * done by `chatPubsub`, which holds the app's credentials.
 */
export type WatchSpace = v.InferOutput<typeof WatchSpaceSchema>;

/** The Pub/Sub message carrying a `WatchSpace` command. */
export function watchSpaceMessage(command: WatchSpace): OutgoingMessage {
  return {
    data: v.parse(WatchSpaceSchema, command),
    attributes: { [COMMAND_ATTRIBUTE]: WATCH_SPACE },
  };
}

/** Reads a `WatchSpace` from a message's decoded data; `invalid-input` when it is not one. */
export function parseWatchSpace(data: unknown): WatchSpace {
  const result = v.safeParse(WatchSpaceSchema, data);
  if (result.success) return result.output;
  const field = result.issues[0]?.path?.map((p) => String(p.key)).join('.') ?? '';
  throw invalidInput('WatchSpace command is malformed.', { command: 'WatchSpace', field });
}
