/**
 * Where projections live. Two implementations (Firestore, memory) with one
 * contract: documents are loaded with a token and written back only if
 * unchanged since, so two projectors catching up at once never move a
 * document backwards; the loser sees `false` and starts again.
 */
import type {
  DigestScheduleView,
  DocKey,
  IncidentView,
  MemberView,
  ProjectionCollection,
  ProjectionDoc,
  SpaceView,
} from './views.js';

/** A document as loaded, with the token a write must present. */
export interface LoadedDoc {
  readonly data: ProjectionDoc;
  /** Changes on every write of the document. */
  readonly token: string;
}

/** One write of a commit, over the document as loaded (undefined: it must not exist yet). */
export interface ProjectionWrite {
  readonly key: DocKey;
  readonly data: ProjectionDoc;
  readonly loaded: LoadedDoc | undefined;
}

/** Every projection document, by collection and id. */
export type ProjectionSnapshot = {
  readonly [C in ProjectionCollection]: Readonly<Record<string, ProjectionDoc<C>>>;
};

/** A document with its id. */
export interface Identified<T> {
  readonly id: string;
  readonly data: T;
}

/** The projection store. */
export interface ProjectionStore {
  /** Loads documents; absent ones are missing from the map, keyed `collection/id`. */
  load(keys: readonly DocKey[]): Promise<ReadonlyMap<string, LoadedDoc>>;
  /**
   * Writes every document if none changed since it was loaded; false (and
   * nothing written) when one did. More than 400 writes are split into
   * several commits, each all-or-nothing.
   */
  commit(writes: readonly ProjectionWrite[]): Promise<boolean>;
  /** One document, or undefined. */
  get<C extends ProjectionCollection>(
    collection: C,
    id: string,
  ): Promise<ProjectionDoc<C> | undefined>;
  /** Spaces whose digest is due at `now`: `enabled == true && nextDueAt <= now`, oldest first. */
  dueDigests(
    now: Date,
    limit: number,
  ): Promise<readonly Identified<ProjectionDoc<'digestSchedules'> & DigestScheduleView>[]>;
  /** Incidents opened for an alert key, newest first. */
  incidentsByAlertKey(
    alertKey: string,
  ): Promise<readonly (ProjectionDoc<'incidents'> & IncidentView)[]>;
  /** Members of a space currently present, as far as events show. */
  membersOf(spaceName: string): Promise<readonly MemberView[]>;
  /** Spaces the app is in now. */
  spacesIn(): Promise<readonly SpaceView[]>;
  /** Every document (for replay and tests). */
  snapshot(): Promise<ProjectionSnapshot>;
  /** Makes the store hold exactly `snapshot`: overwrites, and deletes what it lacks. */
  replaceAll(snapshot: ProjectionSnapshot): Promise<void>;
}

/** The map key of a document. */
export function keyString(key: DocKey): string {
  return `${key.collection}/${key.id}`;
}

/** An empty snapshot. */
export function emptySnapshot(): { [C in ProjectionCollection]: Record<string, ProjectionDoc<C>> } {
  return {
    spaces: {},
    members: {},
    activity: {},
    digestSchedules: {},
    incidents: {},
    grants: {},
    checkpoints: {},
  };
}
