/**
 * The projections' shapes: one view type per collection, the documents they
 * live in, and how a document's id is made from the log's names.
 */
import type { StreamId } from '../eventlog/types.js';

/** How far a document has applied each stream it is built from: stream → version. */
export type Applied = Readonly<Record<string, number>>;

/** A space the app is or was in (`spaces/{spaceId}`). */
export interface SpaceView {
  readonly spaceName: string;
  readonly inSpace: boolean;
  readonly spaceType?: 'SPACE' | 'GROUP_CHAT' | 'DIRECT_MESSAGE';
  readonly displayName?: string;
  readonly timeZone?: string;
  readonly addedAt?: string;
  readonly removedAt?: string;
}

/** A member of a space as far as events show (`members/{spaceId}~{member}`). */
export interface MemberView {
  readonly spaceName: string;
  readonly member: string;
  readonly present: boolean;
  readonly displayName?: string;
  readonly memberType?: string;
  readonly joinedAt?: string;
  readonly leftAt?: string;
}

/** Counts of a space's activity since its last digest checkpoint. */
export interface ActivityCounts {
  readonly messages: number;
  readonly activePeople: number;
  readonly threads: number;
  readonly commands: number;
  readonly membersJoined: number;
  readonly membersLeft: number;
  readonly incidents: number;
}

/** A space's activity since its last digest (`activity/{spaceId}`). */
export interface ActivityView {
  readonly spaceName: string;
  /** Space stream version the last digest covered; counts are of later events. */
  readonly sinceVersion: number;
  /** End of the last digest period, when there was one. */
  readonly sincePeriodEnd?: string;
  readonly counts: ActivityCounts;
  /** Distinct people and threads behind the counts (bounded, see activity.ts). */
  readonly people: readonly string[];
  readonly threads: readonly string[];
  /** Recent message names, so one message seen twice (interaction and event) counts once. */
  readonly recentMessages: readonly string[];
  /** Incidents opened from this space since the last digest. */
  readonly incidents: readonly { readonly key: string; readonly openedAt: string }[];
}

/** Digest settings as the last DigestSettingsChanged set them. */
export interface DigestSettingsView {
  readonly enabled: boolean;
  readonly cadence: 'daily' | 'weekly';
  readonly timeOfDay: string;
  readonly weekday?: number;
  readonly timeZone: string;
  readonly quiet?: 'note' | 'skip';
  readonly delivery?: 'api' | 'webhook';
}

/**
 * A space's digest schedule (`digestSchedules/{spaceId}`). `enabled` is the
 * settings' flag and the app still being in the space; `nextDueAt` (ISO, UTC)
 * is set only when enabled, so "due now" is `enabled == true && nextDueAt <= now`.
 */
export interface DigestScheduleView {
  readonly spaceName: string;
  readonly inSpace: boolean;
  readonly enabled: boolean;
  readonly settings?: DigestSettingsView;
  readonly nextDueAt?: string;
  /** End of the last period a digest was posted or skipped for. */
  readonly lastPeriodEnd?: string;
  /** Space stream version the last digest covered. */
  readonly lastCheckpointVersion?: number;
}

/** An incident and its state (`incidents/{key}`). */
export interface IncidentView {
  readonly key: string;
  readonly state: 'open' | 'acknowledged' | 'resolved';
  readonly title: string;
  readonly source: 'alert' | 'command';
  readonly openedAt: string;
  readonly responders: readonly string[];
  readonly severity?: string;
  readonly summary?: string;
  readonly originSpace?: string;
  readonly requestedBy?: string;
  readonly alertKey?: string;
  readonly spaceName?: string;
  readonly spaceMode?: 'app' | 'delegated' | 'user';
  readonly detailsMessage?: string;
  readonly acknowledgedBy?: string;
  readonly acknowledgedAt?: string;
  readonly resolvedAt?: string;
  readonly resolvedBy?: string;
  readonly resolutionMessage?: string;
}

/** A user's grant as recorded (`grants/{userId}`); never the token itself. */
export interface GrantView {
  readonly user: string;
  readonly active: boolean;
  readonly scopes: readonly string[];
  readonly requestedScopes: readonly string[];
  readonly keyId?: string;
  readonly grantedAt?: string;
  readonly revokedAt?: string;
  readonly revokedReason?: 'invalid_grant' | 'signout';
}

/** How far the projections have read: one stream, or the whole log. */
export interface CheckpointView {
  readonly stream?: StreamId;
  readonly version?: number;
  readonly cursor?: string;
}

/** Every projection collection and its view. */
export interface Views {
  readonly spaces: SpaceView;
  readonly members: MemberView;
  readonly activity: ActivityView;
  readonly digestSchedules: DigestScheduleView;
  readonly incidents: IncidentView;
  readonly grants: GrantView;
  readonly checkpoints: CheckpointView;
}

/** The name of a projection collection. */
export type ProjectionCollection = keyof Views;

/** Every projection collection, in a fixed order. */
export const PROJECTION_COLLECTIONS: readonly ProjectionCollection[] = [
  'spaces',
  'members',
  'activity',
  'digestSchedules',
  'incidents',
  'grants',
  'checkpoints',
];

/** A document of a projection: its collection and id. */
export interface DocKey<C extends ProjectionCollection = ProjectionCollection> {
  readonly collection: C;
  readonly id: string;
}

/** A stored projection document: the view plus how far it has applied the log. */
export type ProjectionDoc<C extends ProjectionCollection = ProjectionCollection> = Views[C] & {
  readonly applied: Applied;
};

/** A document id made safe for Firestore from any name (no `/`, no `.`-only ids). */
export function safeId(name: string): string {
  return encodeURIComponent(name).replaceAll('.', '%2E');
}

/** The id of a space's documents, from `spaces/ID`. */
export function spaceDocId(spaceName: string): string {
  return safeId(spaceName.startsWith('spaces/') ? spaceName.slice('spaces/'.length) : spaceName);
}

/** The id of a member's document in a space. */
export function memberDocId(spaceName: string, member: string): string {
  return `${spaceDocId(spaceName)}~${safeId(member)}`;
}

/** Shorthand for a document key. */
export function docKey<C extends ProjectionCollection>(collection: C, id: string): DocKey<C> {
  return { collection, id };
}
